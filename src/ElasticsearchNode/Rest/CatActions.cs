using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Cloud.ElasticsearchNode.Cluster;
using Cloud.ElasticsearchNode.Cluster.Allocation;
using Cloud.ElasticsearchNode.Indices;

namespace Cloud.ElasticsearchNode.Rest;

/// <summary>
/// The <c>_cat</c> APIs: aligned text columns (with <c>v</c> for headers, <c>h</c> to pick columns) or
/// <c>format=json</c> arrays of string-valued objects, as Elasticsearch prints them. Sizes, counts and health
/// describe the whole cluster (every node's copies, the master's routing), not only this node's.
/// </summary>
internal sealed class CatActions(NodeSettings settings, NodeIdentity identity, IIndexMetadataService metadata, IndicesService indices, ShardStatsCollector stats, ClusterNode node, Hosting.StartupRecovery recovery, TimeProvider time)
{
    public void Register(RestRouter router)
    {
        router.Add("GET", "/_cat/indices", IndicesAsync);
        router.Add("GET", "/_cat/indices/{index}", IndicesAsync);
        router.Add("GET", "/_cat/count", CountAsync);
        router.Add("GET", "/_cat/count/{index}", CountAsync);
        router.Add("GET", "/_cat/health", HealthAsync);
        router.Add("GET", "/_cat/nodes", NodesAsync);
        router.Add("GET", "/_cat/shards", ShardsAsync);
        router.Add("GET", "/_cat/shards/{index}", ShardsAsync);
        router.Add("GET", "/_cat/aliases", AliasesAsync);
    }

    private async Task<RestResponse> IndicesAsync(RestRequest request)
    {
        var targets = IndexResolver.Resolve(metadata.Current, request.PathParameter("index"));
        var copies = await stats.CollectAsync(request.Aborted);
        var rows = new List<string?[]>();
        foreach (var index in targets)
        {
            var all = copies.Where(c => c.IndexUuid == index.Uuid).ToList();
            var primaries = all.Where(c => c.Primary).ToList();
            var health = Health(index);
            rows.Add([health, "open", index.Name, index.Uuid, Text(index.NumberOfShards), Text(index.NumberOfReplicas),
                health == "red" ? null : Text(primaries.Sum(c => c.Stats.DocCount)), Text(primaries.Sum(c => c.Stats.DeletedDocs)),
                Bytes(all.Sum(c => c.Stats.StoreSizeBytes)), Bytes(primaries.Sum(c => c.Stats.StoreSizeBytes))]);
        }

        return await Table(request, ["health", "status", "index", "uuid", "pri", "rep", "docs.count", "docs.deleted", "store.size", "pri.store.size"], rows);
    }

    /// <summary>Documents in the primaries of the selected indices (as a refreshed searcher sees them).</summary>
    private async Task<RestResponse> CountAsync(RestRequest request)
    {
        var uuids = IndexResolver.Resolve(metadata.Current, request.PathParameter("index")).Select(i => i.Uuid).ToHashSet(StringComparer.Ordinal);
        var count = (await stats.CollectAsync(request.Aborted)).Where(c => c.Primary && uuids.Contains(c.IndexUuid)).Sum(c => c.Stats.DocCount);
        var now = time.GetUtcNow();
        return await Table(request, ["epoch", "timestamp", "count"], [[Text(now.ToUnixTimeSeconds()), now.ToString("HH:mm:ss", CultureInfo.InvariantCulture), Text(count)]]);
    }

    /// <summary>An index's health: from this node's shards when it is alone, else from the cluster's routing.</summary>
    private string Health(IndexMetadata index) => node.Options.Coordination.BootstrapAlone
        ? indices.Get(index.Uuid)?.Health ?? "red"
        : ClusterHealth.Of(node.State, [index.Name]).Status;

    private Task<RestResponse> HealthAsync(RestRequest request)
    {
        if (!node.Options.Coordination.BootstrapAlone)
        {
            return ClusterHealthAsync(request);
        }

        var all = metadata.Current.Indices.Values.ToList();
        // Red until a lone node has recovered its local state (see ClusterActions' health).
        var status = recovery.IsRecovered ? ClusterActions.Worst(all.Select(i => indices.Get(i.Uuid)?.Health ?? "red")) : "red";
        var primaries = all.Sum(i => indices.Get(i.Uuid)?.StartedShards.Count() ?? 0);
        var unassigned = all.Sum(i => i.NumberOfShards * (1 + i.NumberOfReplicas)) - primaries;
        var now = time.GetUtcNow();
        return Table(request, ["epoch", "timestamp", "cluster", "status", "node.total", "node.data", "shards", "pri", "relo", "init", "unassign", "pending_tasks", "max_task_wait_time", "active_shards_percent"],
            [[Text(now.ToUnixTimeSeconds()), now.ToString("HH:mm:ss", CultureInfo.InvariantCulture), settings.ClusterName, status, "1", settings.Roles.Contains("data") ? "1" : "0",
                Text(primaries), Text(primaries), "0", "0", Text(unassigned), "0", "-", (primaries + unassigned == 0 ? 100.0 : 100.0 * primaries / (primaries + unassigned)).ToString("0.0", CultureInfo.InvariantCulture) + "%"]]);
    }

    private Task<RestResponse> ClusterHealthAsync(RestRequest request)
    {
        var state = node.State;
        var health = ClusterHealth.Of(state);
        var now = time.GetUtcNow();
        return Table(request, ["epoch", "timestamp", "cluster", "status", "node.total", "node.data", "shards", "pri", "relo", "init", "unassign", "pending_tasks", "max_task_wait_time", "active_shards_percent"],
            [[Text(now.ToUnixTimeSeconds()), now.ToString("HH:mm:ss", CultureInfo.InvariantCulture), settings.ClusterName, health.Status, Text(health.NumberOfNodes), Text(health.NumberOfDataNodes),
                Text(health.ActiveShards), Text(health.ActivePrimaryShards), Text(health.RelocatingShards), Text(health.InitializingShards), Text(health.UnassignedShards), "0", "-",
                health.ActiveShardsPercent.ToString("0.0", CultureInfo.InvariantCulture) + "%"]]);
    }

    private Task<RestResponse> NodesAsync(RestRequest request)
    {
        var roles = string.Concat(settings.Roles.Select(r => r switch { "master" => "m", "data" => "d", "ingest" => "i", _ => r[..1] }).Order(StringComparer.Ordinal));
        var heapPercent = (int)(100.0 * GC.GetTotalMemory(false) / Math.Max(1, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes));
        return Table(request, ["ip", "heap.percent", "ram.percent", "cpu", "load_1m", "load_5m", "load_15m", "node.role", "master", "name", "id"],
            [[settings.All.GetValueOrDefault("network.publish_host") ?? "127.0.0.1", Text(heapPercent), "-", "-", "-", "-", "-", roles, "*", settings.NodeName, identity.NodeId[..4]]]);
    }

    private Task<RestResponse> ShardsAsync(RestRequest request)
    {
        var rows = new List<string?[]>();
        foreach (var index in IndexResolver.Resolve(metadata.Current, request.PathParameter("index")))
        {
            var service = indices.Get(index.Uuid);
            for (var shard = 0; shard < index.NumberOfShards; shard++)
            {
                var open = service?.Shards[shard].Shard;
                var stats = open?.Stats();
                rows.Add([index.Name, Text(shard), "p", open is null ? "UNASSIGNED" : "STARTED", stats is null ? null : Text(stats.DocCount),
                    stats is null ? null : Bytes(stats.StoreSizeBytes), open is null ? null : "127.0.0.1", open is null ? null : settings.NodeName]);
                for (var replica = 0; replica < index.NumberOfReplicas; replica++)
                {
                    rows.Add([index.Name, Text(shard), "r", "UNASSIGNED", null, null, null, null]);
                }
            }
        }

        return Table(request, ["index", "shard", "prirep", "state", "docs", "store", "ip", "node"], rows);
    }

    private Task<RestResponse> AliasesAsync(RestRequest request)
    {
        var rows = metadata.Current.Indices.Values
            .SelectMany(i => i.Aliases.Values.Select(a => new string?[] { a.Name, i.Name, a.FilterJson is null ? "-" : "*", a.Routing ?? "-", a.Routing ?? "-", a.IsWriteIndex is { } w ? (w ? "true" : "false") : "-" }))
            .ToList();
        return Table(request, ["alias", "index", "filter", "routing.index", "routing.search", "is_write_index"], rows);
    }

    internal static Task<RestResponse> Table(RestRequest request, string[] headers, IReadOnlyList<string?[]> rows)
    {
        var columns = Enumerable.Range(0, headers.Length).ToList();
        if (request.Parameter("h") is { Length: > 0 } wanted)
        {
            columns = [.. wanted.Split(',').Select(h => Array.IndexOf(headers, h.Trim())).Where(i => i >= 0)];
        }

        if (request.Parameter("s") is { Length: > 0 } sortBy)
        {
            var parts = sortBy.Split(':');
            var column = Array.IndexOf(headers, parts[0]);
            if (column >= 0)
            {
                rows = parts.Length > 1 && parts[1] == "desc"
                    ? [.. rows.OrderByDescending(r => r[column], StringComparer.Ordinal)]
                    : [.. rows.OrderBy(r => r[column], StringComparer.Ordinal)];
            }
        }

        if (request.Parameter("format") is "json")
        {
            var array = new JsonArray();
            foreach (var row in rows)
            {
                var obj = new JsonObject();
                foreach (var column in columns)
                {
                    obj[headers[column]] = row[column];
                }

                array.Add(obj);
            }

            return Task.FromResult(RestResponse.Ok(array));
        }

        var lines = new List<string?[]>();
        if (request.Flag("v"))
        {
            lines.Add([.. columns.Select(c => headers[c])]);
        }

        lines.AddRange(rows.Select(r => columns.Select(c => r[c]).ToArray()));
        var widths = columns.Select((_, i) => lines.Count == 0 ? 0 : lines.Max(l => (l[i] ?? "").Length)).ToArray();
        var text = new StringBuilder();
        foreach (var line in lines)
        {
            text.AppendJoin(' ', line.Select((cell, i) => (cell ?? "").PadRight(widths[i]))).Append('\n');
        }

        return Task.FromResult(new RestResponse(200, Text: text.ToString()));
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Bytes(long bytes) => bytes switch
    {
        >= 1L << 30 => (bytes / (double)(1L << 30)).ToString("0.#", CultureInfo.InvariantCulture) + "gb",
        >= 1L << 20 => (bytes / (double)(1L << 20)).ToString("0.#", CultureInfo.InvariantCulture) + "mb",
        >= 1L << 10 => (bytes / (double)(1L << 10)).ToString("0.#", CultureInfo.InvariantCulture) + "kb",
        _ => bytes.ToString(CultureInfo.InvariantCulture) + "b",
    };
}
