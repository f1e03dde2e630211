namespace Cloud.ElasticsearchNode.Engine;

/// <summary>A point-in-time view of one shard's size and activity, for <c>_stats</c> and <c>_cat</c>.</summary>
internal sealed record ShardStats(
    long DocCount,
    long DeletedDocs,
    long StoreSizeBytes,
    long TranslogSizeBytes,
    long IndexTotal,
    long DeleteTotal,
    long QueryTotal,
    long MaxSeqNo,
    long LocalCheckpoint);
