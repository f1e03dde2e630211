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
    public static IEndpointRouteBuilder MapClusterApi(this IEndpointRouteBuilder app, ClusterNode node)
    {
        app.MapGet("/_cluster/health", (HttpContext c, CancellationToken _) => HealthAsync(node, c, null));
        app.MapGet("/_cluster/health/{index}", (HttpContext c, string index) => HealthAsync(node, c, index));
        app.MapGet("/_cluster/state", () => Results.Json(ClusterStateView.Of(node.State), ClusterJson.Options));
        app.MapPost("/_cluster/voting_config_exclusions", (HttpContext c, CancellationToken _) => AddExclusionsAsync(node, c));
        app.MapDelete("/_cluster/voting_config_exclusions", (HttpContext c, CancellationToken _) => ClearExclusionsAsync(node, c));
        app.MapGet("/_cluster/settings", () => Results.Json(new { persistent = Nest(node.State.Metadata.PersistentSettings), transient = Nest(node.State.Metadata.TransientSettings) }));
        app.MapPut("/_cluster/settings", (HttpContext c, CancellationToken _) => PutSettingsAsync(node, c));
        app.MapGet("/_cluster/allocation/explain", (HttpContext c, CancellationToken _) => ExplainAsync(node, c));
        app.MapPost("/_cluster/allocation/explain", (HttpContext c, CancellationToken _) => ExplainAsync(node, c));
        app.MapPut("/_nodes/{id}/shutdown", (HttpContext c, string id) => PutShutdownAsync(node, c, id));
        app.MapGet("/_nodes/{id}/shutdown", (string id) => GetShutdown(node, id));
        app.MapGet("/_nodes/shutdown", () => GetShutdown(node, null));
        app.MapDelete("/_nodes/{id}/shutdown", (HttpContext c, string id) => Run(node, c, new MasterOperation(MasterOperation.DeleteShutdown, ResolveNodeId(node.State, id))));
        app.MapGet("/_cat/nodes", (HttpContext c, CancellationToken _) => CatTables.Nodes(node.State, c));
        app.MapGet("/_cat/shards", (HttpContext c, CancellationToken _) => CatTables.Shards(node.State, c));
        app.MapGet("/_cat/master", (HttpContext c, CancellationToken _) => CatTables.Master(node.State, c));
        return app;
    }

    public static IResult Error(ClusterException ex) => Results.Json(new
    {
        error = new { root_cause = new[] { new { type = ex.Type, reason = ex.Message } }, type = ex.Type, reason = ex.Message },
        status = ex.Status,
    }, statusCode: ex.Status);

    private static async Task<IResult> Run(ClusterNode node, HttpContext context, MasterOperation operation)
    {
        try
        {
            await node.RunOnMasterAsync(operation, context.RequestAborted);
            return Results.Json(new { acknowledged = true });
        }
        catch (ClusterException ex)
        {
            return Error(ex);
        }
    }

    private static async Task<IResult> HealthAsync(ClusterNode node, HttpContext context, string? index)
    {
        var query = context.Request.Query;
        var timeout = Durations.Parse(query["timeout"], TimeSpan.FromSeconds(30));
        var indices = index?.Split(',', StringSplitOptions.RemoveEmptyEntries) ?? [];
        var waits = new List<Func<ClusterState, bool>>();
        if (query["wait_for_status"].ToString() is { Length: > 0 } status)
        {
            waits.Add(s => ClusterHealth.Rank(ClusterHealth.Of(s, indices).Status) <= ClusterHealth.Rank(status));
        }

        if (query["wait_for_nodes"].ToString() is { Length: > 0 } nodes)
        {
            waits.Add(s => NodeCount.Matches(nodes, s.Nodes.Count));
        }

        if (query["wait_for_no_relocating_shards"] == "true")
        {
            waits.Add(s => ClusterHealth.Of(s, indices).RelocatingShards == 0);
        }

        if (query["wait_for_no_initializing_shards"] == "true")
        {
            waits.Add(s => ClusterHealth.Of(s, indices).InitializingShards == 0);
        }

        if (waits.Count == 0 && !node.Coordinator.HasMaster && query["local"] != "true")
        {
            waits.Add(s => s.MasterNodeId is not null);
        }

        var (met, state) = await node.Coordinator.WaitForAsync(s => node.Coordinator.HasMaster && waits.All(w => w(s)), waits.Count == 0 ? TimeSpan.Zero : timeout, context.RequestAborted);
        if (!node.Coordinator.HasMaster && query["local"] != "true")
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
        if (query["level"] == "indices")
        {
            body["indices"] = health.IndexStatus.ToDictionary(kv => kv.Key, kv => (object)new { status = kv.Value });
        }

        return Results.Json(body, statusCode: timedOut ? StatusCodes.Status408RequestTimeout : StatusCodes.Status200OK);
    }

    private static async Task<IResult> AddExclusionsAsync(ClusterNode node, HttpContext context)
    {
        var names = context.Request.Query["node_names"].ToString();
        var ids = context.Request.Query["node_ids"].ToString();
        if (names.Length > 0 == ids.Length > 0)
        {
            return Error(new ClusterException("illegal_argument_exception", "Please set node identifiers correctly. One and only one of [node_name], [node_names] and [node_ids] has to be set"));
        }

        var list = (names.Length > 0 ? names : ids).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var result = await Run(node, context, new MasterOperation(MasterOperation.AddVotingExclusions, Names: list));
        if (context.Response.StatusCode >= 400 || result is not IStatusCodeHttpResult { StatusCode: null or 200 })
        {
            return result;
        }

        // As Elasticsearch: answer once the excluded nodes are out of the voting configuration.
        var timeout = Durations.Parse(context.Request.Query["timeout"], TimeSpan.FromSeconds(30));
        var (met, _) = await node.Coordinator.WaitForAsync(
            s => s.Coordination.Exclusions.All(e => !s.Coordination.LastCommittedConfig.Contains(e.NodeId) && !s.Coordination.LastAcceptedConfig.Contains(e.NodeId)), timeout, context.RequestAborted);
        return met ? Results.Ok() : Error(new ClusterException("elasticsearch_timeout_exception", "timed out waiting for voting config exclusions to take effect", 500));
    }

    private static async Task<IResult> ClearExclusionsAsync(ClusterNode node, HttpContext context)
    {
        if (context.Request.Query["wait_for_removal"] != "false")
        {
            var timeout = Durations.Parse(context.Request.Query["timeout"], TimeSpan.FromSeconds(30));
            var (met, _) = await node.Coordinator.WaitForAsync(s => s.Coordination.Exclusions.All(e => !s.Nodes.ContainsKey(e.NodeId)), timeout, context.RequestAborted);
            if (!met)
            {
                return Error(new ClusterException("elasticsearch_timeout_exception", "timed out waiting for removal of nodes excluded from the voting configuration", 500));
            }
        }

        var result = await Run(node, context, new MasterOperation(MasterOperation.ClearVotingExclusions));
        return result is IStatusCodeHttpResult { StatusCode: >= 400 } ? result : Results.Ok();
    }

    private static async Task<IResult> PutSettingsAsync(ClusterNode node, HttpContext context)
    {
        JsonElement body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<JsonElement>(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (JsonException ex)
        {
            return Error(new ClusterException("parse_exception", ex.Message));
        }

        var persistent = Flatten(body, "persistent");
        var transient = Flatten(body, "transient");
        var result = await Run(node, context, new MasterOperation(MasterOperation.PutSettings, Persistent: persistent, Transient: transient));
        if (result is IStatusCodeHttpResult { StatusCode: >= 400 })
        {
            return result;
        }

        return Results.Json(new { acknowledged = true, persistent = Nest(persistent.Where(kv => kv.Value.Length > 0)), transient = Nest(transient.Where(kv => kv.Value.Length > 0)) });
    }

    private static async Task<IResult> ExplainAsync(ClusterNode node, HttpContext context)
    {
        var state = node.State;
        ShardRouting? shard;
        if (context.Request.ContentLength is > 0)
        {
            var body = await JsonSerializer.DeserializeAsync<JsonElement>(context.Request.Body, cancellationToken: context.RequestAborted);
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

        return Results.Json(AllocationExplanation.Of(state, shard));
    }

    private static async Task<IResult> PutShutdownAsync(ClusterNode node, HttpContext context, string id)
    {
        JsonElement body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<JsonElement>(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (JsonException ex)
        {
            return Error(new ClusterException("parse_exception", ex.Message));
        }

        var type = body.TryGetProperty("type", out var t) ? t.GetString() : null;
        var reason = body.TryGetProperty("reason", out var r) ? r.GetString() : null;
        return await Run(node, context, new MasterOperation(MasterOperation.PutShutdown, ResolveNodeId(node.State, id), Type: type, Reason: reason));
    }

    private static IResult GetShutdown(ClusterNode node, string? id)
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
        return Results.Json(new { nodes = entries });
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
