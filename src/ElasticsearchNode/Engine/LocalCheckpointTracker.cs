namespace Cloud.ElasticsearchNode.Engine;

/// <summary>
/// Hands out sequence numbers and tracks the local checkpoint: the highest sequence number below which
/// every operation has been processed (writes finish out of order under concurrency).
/// </summary>
internal sealed class LocalCheckpointTracker
{
    private readonly Lock _gate = new();
    private readonly SortedSet<long> _pending = [];
    private long _nextSeqNo;
    private long _checkpoint;
    private long _maxSeqNo;

    public LocalCheckpointTracker(long maxSeqNo, long checkpoint)
    {
        _maxSeqNo = maxSeqNo;
        _checkpoint = checkpoint;
        _nextSeqNo = maxSeqNo + 1;
    }

    public long Checkpoint
    {
        get
        {
            lock (_gate)
            {
                return _checkpoint;
            }
        }
    }

    public long MaxSeqNo
    {
        get
        {
            lock (_gate)
            {
                return _maxSeqNo;
            }
        }
    }

    public long Generate()
    {
        lock (_gate)
        {
            var seqNo = _nextSeqNo++;
            _maxSeqNo = Math.Max(_maxSeqNo, seqNo);
            return seqNo;
        }
    }

    /// <summary>Records a sequence number seen from elsewhere (a replica applying the primary's operations).</summary>
    public void AdvanceMaxSeqNo(long seqNo)
    {
        lock (_gate)
        {
            _maxSeqNo = Math.Max(_maxSeqNo, seqNo);
            _nextSeqNo = Math.Max(_nextSeqNo, seqNo + 1);
        }
    }

    /// <summary>The sequence numbers up to <paramref name="upTo"/> not processed yet (gaps below it, and any above the max seen).</summary>
    public IReadOnlyList<long> Unprocessed(long upTo)
    {
        lock (_gate)
        {
            var missing = new List<long>();
            for (var seqNo = _checkpoint + 1; seqNo <= upTo; seqNo++)
            {
                if (!_pending.Contains(seqNo))
                {
                    missing.Add(seqNo);
                }
            }

            return missing;
        }
    }

    public void MarkProcessed(long seqNo)
    {
        lock (_gate)
        {
            if (seqNo <= _checkpoint)
            {
                return;
            }

            if (seqNo == _checkpoint + 1 && _pending.Count == 0)
            {
                // In order, nothing pending above: the common case of one writer.
                _checkpoint = seqNo;
                return;
            }

            _pending.Add(seqNo);
            while (_pending.Count > 0 && _pending.Min == _checkpoint + 1)
            {
                _checkpoint++;
                _pending.Remove(_checkpoint);
            }
        }
    }
}
