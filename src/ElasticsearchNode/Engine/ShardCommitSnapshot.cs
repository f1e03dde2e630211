using Lucene.Net.Index;

namespace Cloud.ElasticsearchNode.Engine;

/// <summary>
/// The files of a shard's last Lucene commit, held (not deleted by merges) until disposed: what a
/// file-based recovery copies to a new replica before replaying the operations after <see cref="LocalCheckpoint"/>.
/// </summary>
internal sealed class ShardCommitSnapshot : IDisposable
{
    private readonly SnapshotDeletionPolicy _policy;
    private readonly IndexCommit _commit;
    private int _released;

    public ShardCommitSnapshot(SnapshotDeletionPolicy policy, IndexCommit commit, string directory, long maxSeqNo, long localCheckpoint)
    {
        _policy = policy;
        _commit = commit;
        Directory = directory;
        Files = [.. commit.FileNames];
        MaxSeqNo = maxSeqNo;
        LocalCheckpoint = localCheckpoint;
    }

    /// <summary>The shard's Lucene directory; <see cref="Files"/> are relative to it.</summary>
    public string Directory { get; }

    public IReadOnlyList<string> Files { get; }

    public long MaxSeqNo { get; }

    public long LocalCheckpoint { get; }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            _policy.Release(_commit);
        }
    }
}
