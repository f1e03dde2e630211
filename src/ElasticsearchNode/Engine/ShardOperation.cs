namespace Cloud.ElasticsearchNode.Engine;

/// <summary>
/// One write as the primary ordered it: what replicas apply and what the translog replays. The
/// sequence number orders operations within a shard; the primary term says which primary assigned it.
/// </summary>
internal sealed record ShardOperation(
    OperationKind Kind,
    string Id,
    long SeqNo,
    long PrimaryTerm,
    long Version,
    string? Routing,
    ReadOnlyMemory<byte> Source);
