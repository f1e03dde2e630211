namespace Cloud.ElasticsearchNode.Cluster;

/// <summary>The state a master operation was committed in, so the caller can wait until its own node applied it.</summary>
internal sealed record MasterOperationResult(long Term, long Version);
