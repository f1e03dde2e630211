using Cloud.ElasticsearchNode.Engine;
using Cloud.ElasticsearchNode.Errors;

namespace Cloud.ElasticsearchNode.Documents;

/// <summary>The result of one write: what the shard did, or why the item failed (other items are unaffected).</summary>
internal sealed record WriteItemResult(
    OpType OpType,
    string Index,
    string Id,
    int Shard,
    WriteResult? Result,
    ElasticsearchException? Error,
    ReadOnlyMemory<byte>? UpdatedSource = null)
{
    public int Status => Error?.Status ?? Result?.Outcome switch
    {
        WriteOutcome.Created => 201,
        WriteOutcome.NotFound => 404,
        _ => 200,
    };
}
