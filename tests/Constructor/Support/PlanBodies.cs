using System.Globalization;

namespace Cloud.Constructor.Tests.Support;

/// <summary>Request bodies of the API tests.</summary>
public static class PlanBodies
{
    public static string Plan(string version = "8.15.0", int memory = 1024, int zones = 3, int perZone = 1, string? transient = null) =>
        string.Create(CultureInfo.InvariantCulture, $$"""
            {"elasticsearch":{"version":"{{version}}"},"cluster_topology":[{"node_roles":["master","data","ingest"],"memory_per_node":{{memory}},"node_count_per_zone":{{perZone}},"zone_count":{{zones}}}]{{(transient is null ? "" : ",\"transient\":" + transient)}}}
            """);

    public static string Create(string name, string version = "8.15.0", int memory = 1024, int zones = 3) =>
        $$"""{"cluster_name":"{{name}}","plan":{{Plan(version, memory, zones)}}}""";
}
