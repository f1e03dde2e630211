using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cloud.Cli.Plans;

/// <summary>A PLAN (DESIGN.md) from a file, or from the few flags most plans need.</summary>
public static class PlanBuilder
{
    public static JsonObject FromFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new UsageException($"Plan file {path} does not exist.");
        }

        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) as JsonObject
                ?? throw new UsageException($"Plan file {path} must hold a JSON object.");
        }
        catch (JsonException ex)
        {
            throw new UsageException($"Plan file {path} is not valid JSON: {ex.Message}");
        }
    }

    public static JsonObject FromFlags(string version, int memoryMb, int zones, int nodesPerZone, IReadOnlyList<string> roles, string? strategy)
    {
        if (memoryMb <= 0 || zones <= 0 || nodesPerZone <= 0)
        {
            throw new UsageException("--memory, --zones and --nodes-per-zone must be positive.");
        }

        var plan = new JsonObject
        {
            ["elasticsearch"] = new JsonObject { ["version"] = version },
            ["cluster_topology"] = new JsonArray(new JsonObject
            {
                ["node_roles"] = new JsonArray([.. roles.Select(r => (JsonNode)JsonValue.Create(r))]),
                ["memory_per_node"] = memoryMb,
                ["node_count_per_zone"] = nodesPerZone,
                ["zone_count"] = zones,
            }),
        };
        if (strategy is not null)
        {
            plan["transient"] = new JsonObject { ["strategy"] = strategy };
        }

        return plan;
    }
}
