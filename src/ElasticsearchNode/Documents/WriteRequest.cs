using Cloud.ElasticsearchNode.Engine;

namespace Cloud.ElasticsearchNode.Documents;

/// <summary>One document write, single or inside a bulk: every write goes through the same path.</summary>
internal sealed record WriteRequest(
    OpType OpType,
    string Index,
    string? Id,
    string? Routing,
    ReadOnlyMemory<byte> Source,
    WriteConstraints Constraints,
    UpdateSpec? Update = null);
