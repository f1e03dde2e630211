using System.Globalization;
using Cloud.ElasticsearchNode.Cluster;
using Cloud.ElasticsearchNode.Cluster.Coordination;
using Cloud.ElasticsearchNode.Cluster.Transport;
using Cloud.ElasticsearchNode.Rest;

namespace Cloud.ElasticsearchNode.Recovery;

/// <summary><c>_cat/recovery</c> of a cluster: every node's recoveries (as target), gathered over the transport.</summary>
internal sealed class RecoveryCatActions(ClusterNode node, RecoveryTracker tracker)
{
    private const string Action = "internal:cat/recovery";

    public void Register(RestRouter router)
    {
        ArgumentNullException.ThrowIfNull(router);
        node.Transport.Register<Empty, RecoveryRows>(Action, (_, _) => Task.FromResult(Local()));
        router.Add("GET", "/_cat/recovery", r => ListAsync(r, null));
        router.Add("GET", "/_cat/recovery/{index}", r => ListAsync(r, r.PathParameter("index")));
    }

    private async Task<RestResponse> ListAsync(RestRequest request, string? index)
    {
        var answers = await Task.WhenAll(node.State.Nodes.Values.Select(async n =>
        {
            try
            {
                return n.Id == node.LocalNode.Id ? Local() : await node.Transport.SendAsync<Empty, RecoveryRows>(n.TransportAddress, Action, Empty.Instance, null, request.Aborted);
            }
            catch (TransportException)
            {
                return new RecoveryRows([]);
            }
        }));
        var names = index?.Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        var rows = answers.SelectMany(a => a.Rows)
            .Where(r => names is null || names.Contains(r.Index))
            .Where(r => request.Parameter("active_only") != "true" || r.Stage is not ("done" or "failed"))
            .OrderBy(r => r.Index, StringComparer.Ordinal).ThenBy(r => r.Shard)
            .Select(r => new string?[]
            {
                r.Index, Text(r.Shard), Text(r.TimeMillis) + "ms", r.Type, r.Stage, r.SourceNode, r.TargetNode,
                Text(r.Bytes), Text(r.Bytes), r.Stage == "done" ? "100.0%" : "0.0%", Text(r.Operations), Text(r.Operations),
            })
            .ToList();
        return await CatActions.Table(request,
            ["index", "shard", "time", "type", "stage", "source_node", "target_node", "bytes_total", "bytes_recovered", "bytes_percent", "translog_ops", "translog_ops_recovered"], rows);
    }

    private RecoveryRows Local() => new([.. tracker.All.Select(e => new RecoveryRow(e.Index, e.Shard, e.ElapsedMilliseconds, e.Type, e.Stage, e.SourceNode, e.TargetNode, e.Bytes, e.Operations))]);

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    internal sealed record RecoveryRow(string Index, int Shard, long TimeMillis, string Type, string Stage, string SourceNode, string TargetNode, long Bytes, long Operations);

    internal sealed record RecoveryRows(IReadOnlyList<RecoveryRow> Rows);
}
