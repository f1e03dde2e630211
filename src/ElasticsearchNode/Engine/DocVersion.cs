namespace Cloud.ElasticsearchNode.Engine;

/// <summary>The current version of a document id in a shard (a delete leaves a tombstone until the next refresh).</summary>
internal readonly record struct DocVersion(long Version, long SeqNo, long PrimaryTerm, bool Deleted);
