using Cloud.ElasticsearchNode.Cluster.State;

namespace Cloud.ElasticsearchNode.Replication;

/// <summary>Which copies of a shard a read tries, in order: this node's active copy first, then the others (spread by a rotating start).</summary>
internal static class ShardCopies
{
    private static int _rotation;

    public static IReadOnlyList<DiscoveryNode> ReadOrder(ClusterState state, string index, int shard, string localNodeId)
    {
        ArgumentNullException.ThrowIfNull(state);
        var active = state.Routing.CopiesOf(new ShardId(index, shard))
            .Where(c => c.Active && c.NodeId is not null && state.Nodes.ContainsKey(c.NodeId))
            .Select(c => state.Nodes[c.NodeId!])
            .ToList();
        var local = active.Where(n => n.Id == localNodeId).ToList();
        var others = active.Where(n => n.Id != localNodeId).ToList();
        if (others.Count > 1)
        {
            var start = (int)((uint)Interlocked.Increment(ref _rotation) % (uint)others.Count);
            others = [.. others.Skip(start), .. others.Take(start)];
        }

        return [.. local, .. others];
    }
}
