namespace Cloud.ElasticsearchNode.Engine;

/// <summary>A document read back from a shard: its source as indexed and its versioning metadata.</summary>
internal sealed record StoredDocument(string Id, long Version, long SeqNo, long PrimaryTerm, string? Routing, ReadOnlyMemory<byte> Source);
