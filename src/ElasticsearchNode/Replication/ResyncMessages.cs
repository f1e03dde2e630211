namespace Cloud.ElasticsearchNode.Replication;

// Messages of the primary-replica resync after a promotion, kept together.

/// <summary>
/// From a newly promoted primary to a copy: take <see cref="PrimaryTerm"/> (refuse the old primary from now on) and
/// say what you hold above the lower of your checkpoint and the primary's.
/// </summary>
internal sealed record ResyncPrepareRequest(string IndexUuid, int Shard, string AllocationId, long PrimaryTerm, long PrimaryCheckpoint);

/// <summary>
/// <see cref="Ids"/>: every id the copy wrote or deleted above <see cref="Floor"/>, or null when its history no longer
/// reaches that far (the copy must then be recovered from the primary's files).
/// </summary>
internal sealed record ResyncPrepareResponse(long LocalCheckpoint, long MaxSeqNo, long Floor, IReadOnlyList<string>? Ids);

/// <summary>The resync's operations are on the copy: the sequence numbers up to <see cref="UpTo"/> it never received are lost for good.</summary>
internal sealed record ResyncFinishRequest(string IndexUuid, int Shard, string AllocationId, long PrimaryTerm, long UpTo);

internal static class ResyncActions
{
    public const string Prepare = "internal:index/seq_no/resync[prepare]";
    public const string Finish = "internal:index/seq_no/resync[finish]";
}
