using Cloud.ElasticsearchNode.Engine;

namespace Cloud.ElasticsearchNode.Recovery;

// Peer recovery's messages between the target (asks) and the source (holds the active copy), kept together.

/// <summary>The target asks the source to pin a commit of the shard for it; <see cref="TargetAllocationId"/> joins the replication group first.</summary>
internal sealed record StartRecoveryRequest(string IndexUuid, int Shard, string TargetAllocationId);

/// <summary>The pinned commit: its files (relative to the Lucene directory) and the sequence number it covers.</summary>
internal sealed record StartRecoveryResponse(string RecoveryId, IReadOnlyList<RecoveryFile> Files, long LocalCheckpoint);

internal sealed record RecoveryFile(string Name, long Length);

internal sealed record RecoveryChunkRequest(string RecoveryId, string Name, long Offset, int Length);

/// <summary>The chunk's bytes travel raw beside this answer (a transport attachment), not inside its JSON.</summary>
internal sealed record RecoveryChunkResponse(int Length);

/// <summary>Operations after <see cref="AfterSeqNo"/>, at most <see cref="Limit"/>.</summary>
internal sealed record RecoveryOperationsRequest(string RecoveryId, long AfterSeqNo, int Limit);

/// <summary>Operations in sequence number order, with the source's max sequence number and local checkpoint now.</summary>
internal sealed record RecoveryOperationsResponse(IReadOnlyList<ShardOperation> Operations, long MaxSeqNo, long LocalCheckpoint);

internal sealed record FinishRecoveryRequest(string RecoveryId);

internal static class RecoveryActions
{
    public const string Start = "internal:index/shard/recovery/start_recovery";
    public const string Chunk = "internal:index/shard/recovery/file_chunk_engine";
    public const string Operations = "internal:index/shard/recovery/translog_ops";
    public const string Finish = "internal:index/shard/recovery/finalize";
}
