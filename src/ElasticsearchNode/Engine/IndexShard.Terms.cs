using Cloud.ElasticsearchNode.Errors;

namespace Cloud.ElasticsearchNode.Engine;

/// <summary>
/// The primary term this copy follows, and the line it draws between primaries: a replica operation is checked
/// against the term and applied under one gate, and the term only moves once no operation is between its check
/// and its write. A new primary's resync takes its term on each copy before reading what the copy holds, so it
/// sees every operation an old primary got in, and none arrives after.
/// </summary>
internal sealed partial class IndexShard
{
    private readonly ReaderWriterLockSlim _termGate = new(LockRecursionPolicy.NoRecursion);
    private long _primaryTerm;

    /// <summary>The term of the primary this copy follows; raised (never lowered) when a new primary is chosen.</summary>
    public long PrimaryTerm => Interlocked.Read(ref _primaryTerm);

    /// <summary>
    /// Moves this copy to <paramref name="term"/> (an older one changes nothing). Waits for the replica operations
    /// being applied under the older term: when this returns they are in the shard and its translog, and every later
    /// one of an older term is refused.
    /// </summary>
    public void RaisePrimaryTerm(long term)
    {
        if (term <= PrimaryTerm)
        {
            return;
        }

        _termGate.EnterWriteLock();
        try
        {
            if (term > _primaryTerm)
            {
                Interlocked.Exchange(ref _primaryTerm, term);
            }
        }
        finally
        {
            _termGate.ExitWriteLock();
        }
    }

    /// <summary>
    /// Applies operations a primary of <paramref name="primaryTerm"/> sent (idempotent by seq_no); returns the translog
    /// location to sync. A later term than this copy's is taken first (a new primary's operation may arrive before the
    /// state that made it primary); an older one is refused whole with <c>illegal_state_exception</c>.
    /// </summary>
    public long ApplyAsReplica(IReadOnlyList<ShardOperation> operations, long primaryTerm)
    {
        ArgumentNullException.ThrowIfNull(operations);
        RaisePrimaryTerm(primaryTerm);
        _termGate.EnterReadLock();
        try
        {
            var current = Interlocked.Read(ref _primaryTerm);
            if (primaryTerm < current)
            {
                throw new ElasticsearchException("illegal_state_exception", $"operation primary term [{primaryTerm}] is too old (current [{current}])", 409);
            }

            long location = 0;
            foreach (var operation in operations)
            {
                location = Math.Max(location, Apply(operation, appendToTranslog: true));
            }

            return location;
        }
        finally
        {
            _termGate.ExitReadLock();
        }
    }
}
