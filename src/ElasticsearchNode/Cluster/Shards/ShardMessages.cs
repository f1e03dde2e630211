namespace Cloud.ElasticsearchNode.Cluster.Shards;

// Shard-level messages between data nodes and the master, one-line records kept together.

/// <summary>A copy finished recovering (or failed); the master starts (or fails) it in the routing table.</summary>
/// A failure reported by a primary carries its term: a deposed primary's report is refused.
internal sealed record ShardStateRequest(string Index, int Shard, string AllocationId, string? Reason = null, long PrimaryTerm = 0);

/// <summary>The files of a shard's store, as the recovery source sees them now.</summary>
internal sealed record ShardFilesRequest(string IndexUuid, int Shard);

internal sealed record ShardFile(string Name, long Length);

internal sealed record ShardFilesResponse(IReadOnlyList<ShardFile> Files);

internal sealed record FileChunkRequest(string IndexUuid, int Shard, string Name, long Offset, int Length);

internal sealed record FileChunkResponse(byte[] Data);

internal static class ShardActions
{
    public const string Started = "internal:cluster/shard/started";
    public const string Failed = "internal:cluster/shard/failure";

    /// <summary>A primary reopened from local files asks for a new term; <see cref="ShardStateRequest.PrimaryTerm"/> is the one it reopened under.</summary>
    public const string Reopened = "internal:cluster/shard/primary_reopened";
    public const string Files = "internal:index/shard/recovery/files";
    public const string FileChunk = "internal:index/shard/recovery/file_chunk";
}
