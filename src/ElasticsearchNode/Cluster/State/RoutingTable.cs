using System.Collections.Immutable;

namespace Cloud.ElasticsearchNode.Cluster.State;

/// <summary>Every copy of every shard, in a stable order (index, shard, primary first, node).</summary>
internal sealed record RoutingTable(ImmutableArray<ShardRouting> Shards)
{
    public static RoutingTable Empty { get; } = new(ImmutableArray<ShardRouting>.Empty);

    public IEnumerable<ShardRouting> CopiesOf(ShardId id) => Shards.Where(s => s.Index == id.Index && s.Shard == id.Shard);

    public IEnumerable<ShardRouting> OnNode(string nodeId) => Shards.Where(s => s.NodeId == nodeId);

    public ShardRouting? PrimaryOf(ShardId id) => CopiesOf(id).FirstOrDefault(s => s.Primary && !s.IsRelocationTarget);

    public static RoutingTable Of(IEnumerable<ShardRouting> shards) => new(
    [
        .. shards
            .OrderBy(s => s.Index, StringComparer.Ordinal)
            .ThenBy(s => s.Shard)
            .ThenByDescending(s => s.Primary)
            .ThenBy(s => s.IsRelocationTarget)
            .ThenBy(s => s.NodeId ?? "\uffff", StringComparer.Ordinal)
            .ThenBy(s => s.AllocationId ?? string.Empty, StringComparer.Ordinal),
    ]);
}
