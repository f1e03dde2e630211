namespace Cloud.ElasticsearchNode.Snapshots;

/// <summary>Asks the node holding a copy of a shard to copy its last commit into the shared repository.</summary>
internal sealed record ShardSnapshotRequest(string Repository, string SnapshotUuid, string IndexUuid, int Shard);

/// <summary>Null when the shard's files are in the repository; else why not.</summary>
internal sealed record ShardSnapshotResponse(string? Failure);
