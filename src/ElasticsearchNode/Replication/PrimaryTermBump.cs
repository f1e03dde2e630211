using Cloud.ElasticsearchNode.Cluster;
using Cloud.ElasticsearchNode.Cluster.Coordination;
using Cloud.ElasticsearchNode.Cluster.Shards;
using Cloud.ElasticsearchNode.Cluster.State;
using Cloud.ElasticsearchNode.Cluster.Transport;

namespace Cloud.ElasticsearchNode.Replication;

/// <summary>
/// A primary reopened from its node's own files asks the master for a new primary term, as Elasticsearch gives one to
/// every primary assigned anew: operations its previous incarnation sent before the restart are then refused by the
/// copies, and its own writes are told apart from them.
/// </summary>
internal static class PrimaryTermBump
{
    /// <summary>
    /// Asks until this node's applied state shows a term above <paramref name="reopenedTerm"/> and returns it; null when the
    /// copy stops being this node's active primary first (then there is nothing to write with).
    /// </summary>
    public static async Task<long?> RequestAsync(ClusterNode node, ShardRouting copy, long reopenedTerm, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(copy);
        var request = new ShardStateRequest(copy.Index, copy.Shard, copy.AllocationId!, null, reopenedTerm);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var state = node.State;
            var primaryHere = state.Routing.Shards.Any(s => s.AllocationId == copy.AllocationId && s.Primary && s.Active && s.NodeId == node.LocalNode.Id);
            if (!primaryHere || !state.Metadata.Indices.TryGetValue(copy.Index, out var index))
            {
                return null;
            }

            if (index.PrimaryTerms[copy.Shard] > reopenedTerm)
            {
                return index.PrimaryTerms[copy.Shard];
            }

            if (node.Coordinator.HasMaster && state.MasterNode is { } master)
            {
                try
                {
                    await node.Transport.SendAsync<ShardStateRequest, Empty>(master.TransportAddress, ShardActions.Reopened, request, null, cancellationToken);
                }
                catch (Exception ex) when (ex is TransportException or ClusterException)
                {
                    // The master changed or is busy: asked again on the next state, or within a second.
                }
            }

            await node.Coordinator.WaitForAsync(s => !ReferenceEquals(s, state), TimeSpan.FromSeconds(1), cancellationToken);
        }
    }
}
