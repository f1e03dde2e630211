using Cloud.ElasticsearchNode.Engine;

namespace Cloud.ElasticsearchNode.Indices;

/// <summary>One shard of a local index: open, or failed with the reason (the index is red, the node stays up).</summary>
internal sealed record ShardSlot(int Number, IndexShard? Shard, string? Failure)
{
    public bool IsStarted => Shard is not null;
}
