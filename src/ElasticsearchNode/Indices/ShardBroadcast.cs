using Cloud.ElasticsearchNode.Cluster;
using Cloud.ElasticsearchNode.Cluster.Transport;
using Cloud.ElasticsearchNode.Engine;

namespace Cloud.ElasticsearchNode.Indices;

/// <summary>
/// <c>_refresh</c> and <c>_flush</c> on every open copy of the given indices: on this node alone, or (in a
/// cluster) on every node of the state, each acting on the copies it holds. Returns the copies reached.
/// </summary>
internal sealed class ShardBroadcast(IndicesService indices, ClusterNode node)
{
    public const string Action = "indices:admin/broadcast[s]";

    public void Register() =>
        node.Transport.Register<BroadcastRequest, BroadcastResponse>(Action, (r, _) => Task.FromResult(new BroadcastResponse(RunLocal(r))));

    public async Task<int> RunAsync(string operation, IReadOnlyCollection<IndexMetadata> targets, bool cluster, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var request = new BroadcastRequest(operation, [.. targets.Select(t => t.Uuid)]);
        if (!cluster)
        {
            return RunLocal(request);
        }

        var counts = await Task.WhenAll(node.State.Nodes.Values.Select(async n =>
        {
            try
            {
                return n.Id == node.LocalNode.Id
                    ? RunLocal(request)
                    : (await node.Transport.SendAsync<BroadcastRequest, BroadcastResponse>(n.TransportAddress, Action, request, null, cancellationToken)).Copies;
            }
            catch (TransportException)
            {
                return 0; // reported as not successful
            }
        }));
        return counts.Sum();
    }

    private int RunLocal(BroadcastRequest request)
    {
        Action<IndexShard> action = request.Operation == "flush" ? s => s.Flush() : s => s.Refresh();
        var copies = 0;
        foreach (var uuid in request.IndexUuids)
        {
            foreach (var shard in indices.Get(uuid)?.StartedShards ?? [])
            {
                action(shard);
                copies++;
            }
        }

        return copies;
    }

    internal sealed record BroadcastRequest(string Operation, IReadOnlyList<string> IndexUuids);

    internal sealed record BroadcastResponse(int Copies);
}
