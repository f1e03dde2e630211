using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Cloud.ElasticsearchNode.Cluster.Allocation;
using Cloud.ElasticsearchNode.Cluster.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Cloud.ElasticsearchNode.Cluster.Http;

/// <summary>
/// The cluster-level REST API, answered by any node: health with wait_for_*, state, voting config
/// exclusions, cluster settings, allocation explain, node shutdown, _cat/nodes and _cat/shards.
/// Changes go to the elected master; without one the answer is master_not_discovered_exception (503).
/// </summary>
internal static class ClusterApi
{
    /// <summary>Adds every route through <paramref name="add"/> (method, pattern, handler) to whatever router the node uses.</summary>
    public static void Register(ClusterNode node, Action<string, string, Func<ApiRequest, Task<ApiResult>>> add)
    {
        ArgumentNullException.ThrowIfNull(add);
        add("GET", "/_cluster/health", r => HealthAsync(node, r, null));
        add("GET", "/_cluster/health/{index}", r => HealthAsync(node, r, r.Path("index")));
        add("GET", "/_cluster/state", _ => Task.FromResult(ApiResult.Json(ClusterStateView.Of(node.State))));
        add("POST", "/_cluster/voting_config_exclusions", r => AddExclusionsAsync(node, r));
        add("DELETE", "/_cluster/voting_config_exclusions", r => ClearExclusionsAsync(node, r));
        add("GET", "/_cluster/settings", _ => Task.FromResult(ApiResult.Json(new { persistent = Nest(node.State.Metadata.PersistentSettings), transient = Nest(node.State.Metadata.TransientSettings) })));
        add("PUT", "/_cluster/settings", r => PutSettingsAsync(node, r));
        add("GET", "/_cluster/allocation/explain", r => Task.FromResult(Explain(node, r)));
        add("POST", "/_cluster/allocation/explain", r => Task.FromResult(Explain(node, r)));
        add("PUT", "/_nodes/{node}/shutdown", r => PutShutdownAsync(node, r, r.Path("node")!));
        add("GET", "/_nodes/{node}/shutdown", r => Task.FromResult(GetShutdown(node, r.Path("node"))));
        add("GET", "/_nodes/shutdown", _ => Task.FromResult(GetShutdown(node, null)));
        add("DELETE", "/_nodes/{node}/shutdown", r => Run(node, r, new MasterOperation(MasterOperation.DeleteShutdown, ResolveNodeId(node.State, r.Path("node")!))));
        add("GET", "/_cat/nodes", r => Task.FromResult(CatTables.Nodes(node.State, r)));
        add("GET", "/_cat/shards", r => Task.FromResult(CatTables.Shards(node.State, r)));
        add("GET", "/_cat/master", r => Task.FromResult(CatTables.Master(node.State, r)));
    }

    public static ApiResult Error(ClusterException ex) => ApiResult.Json(new
    {
        error = new { root_cause = new[] { new { type = ex.Type, reason = ex.Message } }, type = ex.Type, reason = ex.Message },
        status = ex.Status,
    }, ex.Status);

    private static async Task<ApiResult> Run(ClusterNode node, ApiRequest request, MasterOperation operation)
    {
        try
        {
            await node.RunOnMasterAsync(operation, request.Aborted);
            return ApiResult.Acknowledged;
        }
        catch (ClusterException ex)
        {
            return Error(ex);
        }
    }

    private static async Task<ApiResult> HealthAsync(ClusterNode node, ApiRequest request, string? index)
    {
        
        var timeout = Durations.Parse(request.Query("timeout"), TimeSpan.FromSeconds(30));
        var indices = index?.Split(',', StringSplitOptions.RemoveEmptyEntries) ?? [];
        var waits = new List<Func<ClusterState, bool>>();
        if ((request.Query("wait_for_status") ?? string.Empty) is { Length: > 0 } status)
        {
            waits.Add(s => ClusterHealth.Rank(ClusterHealth.Of(s, indices).Status) <= ClusterHealth.Rank(status));
        }

        if ((request.Query("wait_for_nodes") ?? string.Empty) is { Length: > 0 } nodes)
        {
            waits.Add(s => NodeCount.Matches(nodes, s.Nodes.Count));
        }

        if (request.Query("wait_for_no_relocating_shards") == "true")
        {
            waits.Add(s => ClusterHealth.Of(s, indices).RelocatingShards == 0);
        }

        if (request.Query("wait_for_no_initializing_shards") == "true")
        {
            waits.Add(s => ClusterHealth.Of(s, indices).InitializingShards == 0);
        }

        if (waits.Count == 0 && !node.Coordinator.HasMaster && request.Query("local") != "true")
        {
            waits.Add(s => s.MasterNodeId is not null);
        }

        var (met, state) = await node.Coordinator.WaitForAsync(s => node.Coordinator.HasMaster && waits.All(w => w(s)), waits.Count == 0 ? TimeSpan.Zero : timeout, request.Aborted);
        if (!node.Coordinator.HasMaster && request.Query("local") != "true")
        {
            return Error(ClusterException.MasterNotDiscovered());
        }

        var health = ClusterHealth.Of(state, indices);
        var timedOut = waits.Count > 0 && !met;
        var body = new Dictionary<string, object>
        {
            ["cluster_name"] = state.ClusterName,
            ["status"] = health.Status,
            ["timed_out"] = timedOut,
            ["number_of_nodes"] = health.NumberOfNodes,
            ["number_of_data_nodes"] = health.NumberOfDataNodes,
            ["active_primary_shards"] = health.ActivePrimaryShards,
            ["active_shards"] = health.ActiveShards,
            ["relocating_shards"] = health.RelocatingShards,
            ["initializing_shards"] = health.InitializingShards,
            ["unassigned_shards"] = health.UnassignedShards,
            ["delayed_unassigned_shards"] = 0,
            ["number_of_pending_tasks"] = 0,
            ["number_of_in_flight_fetch"] = 0,
            ["task_max_waiting_in_queue_millis"] = 0,
            ["active_shards_percent_as_number"] = health.ActiveShardsPercent,
        };
        if (request.Query("level") == "indices")
        {
            body["indices"] = health.IndexStatus.ToDictionary(kv => kv.Key, kv => (object)new { status = kv.Value });
        }

        return ApiResult.Json(body, timedOut ? 408 : 200);
    }

    private static async Task<ApiResult> AddExclusionsAsync(ClusterNode node, ApiRequest request)
    {
        var names = (request.Query("node_names") ?? string.Empty);
        var ids = (request.Query("node_ids") ?? string.Empty);
        if (names.Length > 0 == ids.Length > 0)
        {
            return Error(new ClusterException("illegal_argument_exception", "Please set node identifiers correctly. One and only one of [node_name], [node_names] and [node_ids] has to be set"));
        }

        var list = (names.Length > 0 ? names : ids).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var result = await Run(node, request, new MasterOperation(MasterOperation.AddVotingExclusions, Names: list));
        if (result.Status != 200)
        {
            return result;
        }

        // As Elasticsearch: answer once the excluded nodes are out of the voting configuration.
        var timeout = Durations.Parse(request.Query("timeout"), TimeSpan.FromSeconds(30));
        var (met, _) = await node.Coordinator.WaitForAsync(
            s => s.Coordination.Exclusions.All(e => !s.Coordination.LastCommittedConfig.Contains(e.NodeId) && !s.Coordination.LastAcceptedConfig.Contains(e.NodeId)), timeout, request.Aborted);
        return met ? ApiResult.Acknowledged : Error(new ClusterException("elasticsearch_timeout_exception", "timed out waiting for voting config exclusions to take effect", 500));
    }

    private static async Task<ApiResult> ClearExclusionsAsync(ClusterNode node, ApiRequest request)
    {
        if (request.Query("wait_for_removal") != "false")
        {
            var timeout = Durations.Parse(request.Query("timeout"), TimeSpan.FromSeconds(30));
            var (met, _) = await node.Coordinator.WaitForAsync(s => s.Coordination.Exclusions.All(e => !s.Nodes.ContainsKey(e.NodeId)), timeout, request.Aborted);
            if (!met)
            {
                return Error(new ClusterException("elasticsearch_timeout_exception", "timed out waiting for removal of nodes excluded from the voting configuration", 500));
            }
        }

        var result = await Run(node, request, new MasterOperation(MasterOperation.ClearVotingExclusions));
        return result.Status >= 400 ? result : ApiResult.Acknowledged;
    }

    private static async Task<ApiResult> PutSettingsAsync(ClusterNode node, ApiRequest request)
    {
        JsonElement body;
        try
        {
            body = request.JsonBody();
        }
        catch (JsonException ex)
        {
            return Error(new ClusterException("parse_exception", ex.Message));
        }

        var persistent = Flatten(body, "persistent");
        var transient = Flatten(body, "transient");
        var result = await Run(node, request, new MasterOperation(MasterOperation.PutSettings, Persistent: persistent, Transient: transient));
        if (result.Status >= 400)
        {
            return result;
        }

        return ApiResult.Json(new { acknowledged = true, persistent = Nest(persistent.Where(kv => kv.Value.Length > 0)), transient = Nest(transient.Where(kv => kv.Value.Length > 0)) });
    }

    private static ApiResult Explain(ClusterNode node, ApiRequest request)
    {
        var state = node.State;
        ShardRouting? shard;
        if (request.HasBody)
        {
            var body = request.JsonBody();
            var index = body.TryGetProperty("index", out var i) ? i.GetString() : null;
            var number = body.TryGetProperty("shard", out var s) ? s.GetInt32() : 0;
            var primary = body.TryGetProperty("primary", out var p) && p.GetBoolean();
            shard = state.Routing.Shards.FirstOrDefault(r => r.Index == index && r.Shard == number && r.Primary == primary && !r.IsRelocationTarget);
            if (shard is null)
            {
                return Error(new ClusterException("illegal_argument_exception", $"unable to find any shards to explain [{index}][{number}] {(primary ? "primary" : "replica")}"));
            }
        }
        else
        {
            shard = state.Routing.Shards.FirstOrDefault(r => r.State == ShardRoutingState.Unassigned);
            if (shard is null)
            {
                return Error(new ClusterException("illegal_argument_exception", "There are no unassigned shards in this cluster. Specify an index, shard number, and primary status to explain a specific shard."));
            }
        }

        return ApiResult.Json(AllocationExplanation.Of(state, shard));
    }

    private static async Task<ApiResult> PutShutdownAsync(ClusterNode node, ApiRequest request, string id)
    {
        JsonElement body;
        try
        {
            body = request.JsonBody();
        }
        catch (JsonException ex)
        {
            return Error(new ClusterException("parse_exception", ex.Message));
        }

        var type = body.TryGetProperty("type", out var t) ? t.GetString() : null;
        var reason = body.TryGetProperty("reason", out var r) ? r.GetString() : null;
        return await Run(node, request, new MasterOperation(MasterOperation.PutShutdown, ResolveNodeId(node.State, id), Type: type, Reason: reason));
    }

    private static ApiResult GetShutdown(ClusterNode node, string? id)
    {
        var state = node.State;
        var nodeId = id is null ? null : ResolveNodeId(state, id);
        var entries = state.Metadata.Shutdowns.Values.Where(s => nodeId is null || s.NodeId == nodeId).Select(s =>
        {
            var remaining = state.Routing.OnNode(s.NodeId).Count();
            var status = !s.IsRemove ? "COMPLETE" : remaining == 0 ? "COMPLETE" : "IN_PROGRESS";
            return new Dictionary<string, object?>
            {
                ["node_id"] = s.NodeId,
                ["type"] = s.Type.ToUpperInvariant(),
                ["reason"] = s.Reason,
                ["shutdown_startedmillis"] = s.StartedAt,
                ["status"] = status,
                ["shard_migration"] = new { status, shard_migrations_remaining = s.IsRemove ? remaining : 0 },
                ["persistent_tasks"] = new { status = "COMPLETE" },
                ["plugins"] = new { status = "COMPLETE" },
            };
        }).ToList();
        return ApiResult.Json(new { nodes = entries });
    }

    /// <summary>Accepts a node id or a node name (what the platform knows) for the shutdown API.</summary>
    private static string ResolveNodeId(ClusterState state, string idOrName) =>
        state.Nodes.ContainsKey(idOrName) ? idOrName : state.NodeByName(idOrName)?.Id ?? idOrName;

    private static ImmutableSortedDictionary<string, string> Flatten(JsonElement body, string section)
    {
        var result = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        if (body.ValueKind == JsonValueKind.Object && body.TryGetProperty(section, out var settings))
        {
            Walk(settings, string.Empty, result);
        }

        return result.ToImmutable();

        static void Walk(JsonElement element, string prefix, ImmutableSortedDictionary<string, string>.Builder into)
        {
            if (element.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in element.EnumerateObject())
                {
                    Walk(property.Value, prefix.Length == 0 ? property.Name : prefix + "." + property.Name, into);
                }

                return;
            }

            into[prefix] = element.ValueKind switch
            {
                JsonValueKind.Null => string.Empty,
                JsonValueKind.String => element.GetString()!,
                JsonValueKind.Array => string.Join(',', element.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : e.GetRawText())),
                _ => element.GetRawText(),
            };
        }
    }

    private static Dictionary<string, object> Nest(IEnumerable<KeyValuePair<string, string>> flat)
    {
        var root = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var (key, value) in flat)
        {
            var parts = key.Split('.');
            var current = root;
            foreach (var part in parts[..^1])
            {
                if (!current.TryGetValue(part, out var next) || next is not Dictionary<string, object> child)
                {
                    child = new Dictionary<string, object>(StringComparer.Ordinal);
                    current[part] = child;
                }

                current = child;
            }

            current[parts[^1]] = value;
        }

        return root;
    }

    private static class Durations
    {
        public static TimeSpan Parse(string? value, TimeSpan fallback)
        {
            if (string.IsNullOrEmpty(value))
            {
                return fallback;
            }

            var units = new (string Suffix, double Ms)[] { ("ms", 1), ("s", 1000), ("m", 60000), ("h", 3600000) };
            foreach (var (suffix, ms) in units)
            {
                if (value.EndsWith(suffix, StringComparison.Ordinal) && double.TryParse(value[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var n))
                {
                    return TimeSpan.FromMilliseconds(n * ms);
                }
            }

            return fallback;
        }
    }

    private static class NodeCount
    {
        public static bool Matches(string expression, int count)
        {
            string[] operators = [">=", "<=", "ge(", "le(", "gt(", "lt(", ">", "<"];
            foreach (var op in operators)
            {
                if (expression.StartsWith(op, StringComparison.Ordinal) && int.TryParse(expression[op.Length..].TrimEnd(')'), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
                {
                    return op switch
                    {
                        ">=" or "ge(" => count >= n,
                        "<=" or "le(" => count <= n,
                        ">" or "gt(" => count > n,
                        _ => count < n,
                    };
                }
            }

            return int.TryParse(expression, NumberStyles.Integer, CultureInfo.InvariantCulture, out var exact) && count == exact;
        }
    }
}
