using System.Text.Json.Nodes;

namespace Cloud.EndToEnd.Tests.Platform;

/// <summary>Plan bodies as DESIGN.md writes them.</summary>
public static class Plans
{
    /// <summary>A one-node cluster in one zone: a cluster that needs no shard copies between nodes.</summary>
    public static JsonObject SingleNode(string version = "8.15.0", int memoryPerNode = 512)
    {
        var plan = ThreeZones(version, memoryPerNode);
        plan["cluster_topology"]![0]!["zone_count"] = 1;
        return plan;
    }

    public static JsonObject ThreeZones(string version = "8.15.0", int memoryPerNode = 512, string? strategy = null)
    {
        var plan = new JsonObject
        {
            ["elasticsearch"] = new JsonObject { ["version"] = version },
            ["cluster_topology"] = new JsonArray
            {
                new JsonObject
                {
                    ["node_roles"] = new JsonArray("master", "data", "ingest"),
                    ["memory_per_node"] = memoryPerNode,
                    ["node_count_per_zone"] = 1,
                    ["zone_count"] = 3,
                },
            },
        };
        if (strategy is not null)
        {
            plan["transient"] = new JsonObject { ["strategy"] = strategy };
        }

        return plan;
    }
}
