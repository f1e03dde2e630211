using Cloud.ElasticsearchNode.Engine;

namespace Cloud.ElasticsearchNode.Indices;

/// <summary>
/// One shard of a local index: open, or failed with the reason (the index is red, the node stays up), or
/// (in a cluster) not <see cref="Allocated"/> to this node at all: another node holds it. In a cluster an open
/// slot names the copy (<see cref="AllocationId"/>) it holds, so a recovery or a close acts only on its own copy.
/// </summary>
internal sealed record ShardSlot(int Number, IndexShard? Shard, string? Failure, bool Allocated = true, string? AllocationId = null)
{
    public static ShardSlot Elsewhere(int number) => new(number, null, "not allocated to this node", Allocated: false);

    public bool IsStarted => Shard is not null;
}
