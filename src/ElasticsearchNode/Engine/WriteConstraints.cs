namespace Cloud.ElasticsearchNode.Engine;

/// <summary>
/// Optimistic concurrency a write asks for: create only, or only if the document is still at a given
/// sequence number and primary term, or (external versioning) only with a higher version.
/// </summary>
internal sealed record WriteConstraints(bool CreateOnly = false, long? IfSeqNo = null, long? IfPrimaryTerm = null, long? ExternalVersion = null)
{
    public static WriteConstraints None { get; } = new();
}
