using Cloud.ElasticsearchNode.Mapping;
using Lucene.Net.Index;
using Lucene.Net.Search;

namespace Cloud.ElasticsearchNode.Engine;

/// <summary>What a newly promoted primary and its copies need to converge (primary-replica resync).</summary>
internal sealed partial class IndexShard
{
    /// <summary>
    /// The ids of every document written or deleted by an operation above <paramref name="seqNo"/>, or null when
    /// the translog may no longer hold all of them (a flush trimmed generations holding operations above it: the
    /// trimmed ones reach up to the max seq_no at that flush, not only to its checkpoint).
    /// </summary>
    public IReadOnlyCollection<string>? IdsWrittenAbove(long seqNo)
    {
        if (seqNo < Volatile.Read(ref _historyFloor))
        {
            return null;
        }

        return [.. _translog.ReadAll().Where(o => o.SeqNo > seqNo && o.Kind != OperationKind.NoOp).Select(o => o.Id).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>
    /// Marks every sequence number up to <paramref name="upTo"/> that this copy never received as a no-op (in the
    /// translog too), as a new primary does for operations of the old one that are lost: the local checkpoint moves
    /// past them, and new operations are numbered above <paramref name="upTo"/>.
    /// </summary>
    public long FillSeqNoGaps(long upTo)
    {
        long location = 0;
        foreach (var seqNo in _tracker.Unprocessed(upTo))
        {
            location = Math.Max(location, Apply(new ShardOperation(OperationKind.NoOp, string.Empty, seqNo, PrimaryTerm, 0, null, ReadOnlyMemory<byte>.Empty), appendToTranslog: true));
        }

        return location;
    }

    /// <summary>
    /// As a newly promoted primary: writes this copy's current version of <paramref name="id"/> again (or its absence,
    /// as a delete) under a new sequence number and this primary's term, for the copies to apply over whatever they hold
    /// for that id. The caller refreshes first, so the searcher sees every earlier write.
    /// </summary>
    public ShardOperation Reissue(string id, out long location)
    {
        _rollGate.EnterReadLock();
        try
        {
            lock (Stripe(id))
            {
                var current = Lookup(id);
                StoredDocument? stored = null;
                if (current is { Deleted: false })
                {
                    using var lease = AcquireSearcher();
                    var hit = lease.Searcher.Search(new TermQuery(new Term(MetaFields.Id, id)), 1);
                    stored = hit.TotalHits == 0 ? null : ReadStored(lease.Searcher.Doc(hit.ScoreDocs[0].Doc));
                }

                var seqNo = _tracker.Generate();
                try
                {
                    ShardOperation operation;
                    if (stored is null)
                    {
                        operation = new ShardOperation(OperationKind.Delete, id, seqNo, PrimaryTerm, current?.Version ?? 1, null, ReadOnlyMemory<byte>.Empty);
                        _writer.DeleteDocuments(new Term(MetaFields.Id, id));
                        _versions.Put(id, new DocVersion(operation.Version, seqNo, PrimaryTerm, true));
                    }
                    else
                    {
                        operation = new ShardOperation(OperationKind.Index, id, seqNo, PrimaryTerm, stored.Version, stored.Routing, stored.Source);
                        var document = _factory.Build(id, stored.Source);
                        AddMetaFields(document, id, stored.Routing, stored.Source, seqNo, PrimaryTerm, stored.Version);
                        _writer.UpdateDocument(new Term(MetaFields.Id, id), document);
                        _versions.Put(id, new DocVersion(stored.Version, seqNo, PrimaryTerm, false));
                    }

                    location = _translog.Append(operation);
                    Volatile.Write(ref _dirty, 1);
                    return operation;
                }
                finally
                {
                    _tracker.MarkProcessed(seqNo);
                }
            }
        }
        finally
        {
            _rollGate.ExitReadLock();
        }
    }
}
