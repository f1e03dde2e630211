namespace Cloud.ElasticsearchNode.Engine;

/// <summary>What a shard operation does; the byte is its translog tag.</summary>
internal enum OperationKind : byte
{
    Index = 1,
    Delete = 2,
    NoOp = 3,
}
