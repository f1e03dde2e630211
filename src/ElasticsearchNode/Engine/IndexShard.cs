using System.Globalization;
using System.Runtime.InteropServices;
using Cloud.ElasticsearchNode.Errors;
using Cloud.ElasticsearchNode.Mapping;
using Lucene.Net.Analysis;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;

using Lucene.Net.Util;
using LuceneDirectory = Lucene.Net.Store.Directory;
using FSDirectory = Lucene.Net.Store.FSDirectory;

namespace Cloud.ElasticsearchNode.Engine;

/// <summary>
/// One shard: its own Lucene index and translog in its own directory. Writes as primary assign the
/// sequence number and version under a per-id lock; writes as replica take them from the primary and
/// are applied only if newer than what the shard has (so replay and replication are idempotent).
/// A refresh makes writes searchable; a flush commits Lucene and drops the translog it covers.
/// </summary>
internal sealed partial class IndexShard : IDisposable
{
    private const string MaxSeqNoKey = "max_seq_no";
    private const string CheckpointKey = "local_checkpoint";
    private const string TranslogGenerationKey = "translog_generation";
    private const int StripeCount = 64;

    private readonly LuceneDirectory _directory;
    private readonly IndexWriter _writer;
    private readonly SnapshotDeletionPolicy _deletionPolicy;
    private readonly SearcherManager _searchers;
    private readonly Translog _translog;
    private readonly LiveVersionMap _versions = new();
    private readonly ThreadLocal<IdVersionLookup> _idLookups = new(() => new IdVersionLookup());
    private readonly LocalCheckpointTracker _tracker;
    private readonly Lock[] _stripes = [.. Enumerable.Range(0, StripeCount).Select(_ => new Lock())];
    private readonly ReaderWriterLockSlim _rollGate = new(LockRecursionPolicy.NoRecursion);
    private readonly Lock _flushGate = new();
    private readonly IShardDocumentFactory _factory;
    private TaskCompletionSource _nextRefresh = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _indexTotal;
    private long _deleteTotal;
    private long _queryTotal;
    private int _dirty;
    private int _refreshRequested;
    private long _committedCheckpoint;
    private long _historyFloor;
    private int _historyRetentions;

    private IndexShard(ShardId shardId, string path, Analyzer analyzer, IShardDocumentFactory factory, long primaryTerm, double ramBufferMb)
    {
        ShardId = shardId;
        Path = path;
        _primaryTerm = primaryTerm;
        _factory = factory;
        System.IO.Directory.CreateDirectory(IndexPath);
        _directory = FSDirectory.Open(IndexPath);
        _deletionPolicy = new SnapshotDeletionPolicy(new KeepOnlyLastCommitDeletionPolicy());
        _writer = new IndexWriter(_directory, ShardWriterConfig.Create(analyzer, ramBufferMb, _deletionPolicy));
        var commitData = _writer.CommitData;
        var maxSeqNo = ReadLong(commitData, MaxSeqNoKey, -1);
        _committedCheckpoint = ReadLong(commitData, CheckpointKey, -1);
        _historyFloor = maxSeqNo;
        _tracker = new LocalCheckpointTracker(maxSeqNo, _committedCheckpoint);
        _searchers = new SearcherManager(_writer, true, new Bm25SearcherFactory());
        _searchers.AddListener(new VersionMapRefreshListener(_versions));
        _translog = Translog.Open(TranslogPath);
    }

    public ShardId ShardId { get; }

    public string Path { get; }

    public string IndexPath => System.IO.Path.Combine(Path, "index");

    public string TranslogPath => System.IO.Path.Combine(Path, "translog");

    public long LocalCheckpoint => _tracker.Checkpoint;

    public long MaxSeqNo => _tracker.MaxSeqNo;

    /// <summary>Opens (or creates) the shard at <paramref name="path"/> and replays what its translog has beyond the last commit.</summary>
    public static IndexShard Open(ShardId shardId, string path, Analyzer analyzer, IShardDocumentFactory factory, long primaryTerm, double ramBufferMb = 32)
    {
        var shard = new IndexShard(shardId, path, analyzer, factory, primaryTerm, ramBufferMb);
        try
        {
            shard.Recover();
            return shard;
        }
        catch
        {
            shard.Dispose();
            throw;
        }
    }

    /// <summary>Indexes a document as the primary: checks the constraints, assigns version and sequence number.</summary>
    public WriteResult Index(string id, string? routing, ReadOnlyMemory<byte> source, Document document, WriteConstraints constraints, out long location)
    {
        _rollGate.EnterReadLock();
        try
        {
            lock (Stripe(id))
            {
                var current = Lookup(id);
                var live = current is { Deleted: false } ? current : null;
                CheckConstraints(id, live, constraints);
                var version = constraints.ExternalVersion ?? (current?.Version ?? 0) + 1;
                var seqNo = _tracker.Generate();
                try
                {
                    AddMetaFields(document, id, routing, source, seqNo, PrimaryTerm, version);
                    Write(id, current, document);
                    _versions.Put(id, new DocVersion(version, seqNo, PrimaryTerm, false));
                    location = _translog.Append(new ShardOperation(OperationKind.Index, id, seqNo, PrimaryTerm, version, routing, source));
                }
                finally
                {
                    _tracker.MarkProcessed(seqNo);
                }

                Interlocked.Increment(ref _indexTotal);
                Volatile.Write(ref _dirty, 1);
                return new WriteResult(id, live is null ? WriteOutcome.Created : WriteOutcome.Updated, version, seqNo, PrimaryTerm);
            }
        }
        finally
        {
            _rollGate.ExitReadLock();
        }
    }

    /// <summary>Deletes a document as the primary (a missing document still gets a sequence number, as in Elasticsearch).</summary>
    public WriteResult Delete(string id, WriteConstraints constraints, out long location)
    {
        _rollGate.EnterReadLock();
        try
        {
            lock (Stripe(id))
            {
                var current = Lookup(id);
                var live = current is { Deleted: false } ? current : null;
                CheckConstraints(id, live, constraints with { CreateOnly = false });
                var version = constraints.ExternalVersion ?? (current?.Version ?? 0) + 1;
                var seqNo = _tracker.Generate();
                try
                {
                    _writer.DeleteDocuments(new Term(MetaFields.Id, id));
                    _versions.Put(id, new DocVersion(version, seqNo, PrimaryTerm, true));
                    location = _translog.Append(new ShardOperation(OperationKind.Delete, id, seqNo, PrimaryTerm, version, null, ReadOnlyMemory<byte>.Empty));
                }
                finally
                {
                    _tracker.MarkProcessed(seqNo);
                }

                Interlocked.Increment(ref _deleteTotal);
                Volatile.Write(ref _dirty, 1);
                return new WriteResult(id, live is null ? WriteOutcome.NotFound : WriteOutcome.Deleted, version, seqNo, PrimaryTerm);
            }
        }
        finally
        {
            _rollGate.ExitReadLock();
        }
    }

    /// <summary>
    /// Applies an operation the primary already ordered (replication, peer recovery): it is skipped when
    /// the shard already holds the document at an equal or newer sequence number.
    /// Returns the translog location to sync.
    /// </summary>
    public long ApplyAsReplica(ShardOperation operation) => Apply(operation, appendToTranslog: true);

    /// <summary>Makes every write up to <paramref name="location"/> durable.</summary>
    public Task SyncAsync(long location, CancellationToken cancellationToken) => _translog.SyncAsync(location, cancellationToken);

    /// <summary>Reads a document; a real-time get refreshes first when the document changed since the last refresh.</summary>
    public StoredDocument? Get(string id, bool realtime)
    {
        if (realtime && _versions.TryGet(id, out var pending))
        {
            if (pending.Deleted)
            {
                return null;
            }

            Refresh();
        }

        using var lease = AcquireSearcher();
        var hit = lease.Searcher.Search(new TermQuery(new Term(MetaFields.Id, id)), 1);
        return hit.TotalHits == 0 ? null : ReadStored(lease.Searcher.Doc(hit.ScoreDocs[0].Doc));
    }

    public SearcherLease AcquireSearcher() => new(_searchers);

    public void CountQuery() => Interlocked.Increment(ref _queryTotal);

    /// <summary>Resolves when the next refresh (started after this call) has made earlier writes searchable.</summary>
    public Task WaitForRefreshAsync(CancellationToken cancellationToken)
    {
        var next = Volatile.Read(ref _nextRefresh).Task;

        // Set after taking the task: whichever refresh swaps that task out completes it, and if none has
        // started yet the flag makes the next scheduled refresh run even when it saw no new writes.
        Volatile.Write(ref _refreshRequested, 1);
        return next.WaitAsync(cancellationToken);
    }

    /// <summary>Refreshes if anything was written or awaited since the last refresh (what the 1 s refresh interval calls).</summary>
    public void ScheduledRefresh()
    {
        if (Volatile.Read(ref _dirty) != 0 || Volatile.Read(ref _refreshRequested) != 0)
        {
            Refresh();
        }
    }

    public void Refresh()
    {
        // Flags are cleared before the swap, so a write or waiter racing with this refresh is seen by the next one.
        Volatile.Write(ref _refreshRequested, 0);
        Volatile.Write(ref _dirty, 0);
        var waiting = Interlocked.Exchange(ref _nextRefresh, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        _searchers.MaybeRefreshBlocking();
        waiting.TrySetResult();
    }

    /// <summary>Commits Lucene with the sequence numbers it covers and drops the translog generations it made redundant.</summary>
    public void Flush()
    {
        lock (_flushGate)
        {
            long generation;
            long checkpoint;
            long maxSeqNo;
            _rollGate.EnterWriteLock();
            try
            {
                // No write is in flight here, so every operation at or below the checkpoint is in the writer.
                checkpoint = _tracker.Checkpoint;
                maxSeqNo = _tracker.MaxSeqNo;
                generation = _translog.Roll();
            }
            finally
            {
                _rollGate.ExitWriteLock();
            }

            _writer.SetCommitData(new Dictionary<string, string>
            {
                [MaxSeqNoKey] = maxSeqNo.ToString(CultureInfo.InvariantCulture),
                [CheckpointKey] = checkpoint.ToString(CultureInfo.InvariantCulture),
                [TranslogGenerationKey] = generation.ToString(CultureInfo.InvariantCulture),
            });
            _writer.Commit();
            if (Volatile.Read(ref _historyRetentions) == 0)
            {
                // While a recovery reads the history (OperationsSince), the translog it needs stays.
                Volatile.Write(ref _committedCheckpoint, checkpoint);
                Volatile.Write(ref _historyFloor, maxSeqNo);
                _translog.TrimBelow(generation);
            }
        }
    }

    public long TranslogSizeBytes => _translog.SizeInBytes;

    /// <summary>
    /// The operations after <paramref name="seqNo"/> still in the translog, ordered by sequence number, or
    /// null when the translog no longer reaches back that far (then copy the files of a commit snapshot).
    /// </summary>
    public IReadOnlyList<ShardOperation>? OperationsSince(long seqNo)
    {
        if (seqNo < Volatile.Read(ref _committedCheckpoint))
        {
            return null;
        }

        return [.. _translog.ReadAll().Where(o => o.SeqNo > seqNo).DistinctBy(o => o.SeqNo).OrderBy(o => o.SeqNo)];
    }

    /// <summary>
    /// Keeps every operation now in the translog readable by <see cref="OperationsSince"/> until disposed
    /// (flushes still commit, but trim nothing): a recovery takes it before its commit snapshot.
    /// </summary>
    public IDisposable RetainHistory()
    {
        Interlocked.Increment(ref _historyRetentions);
        return new HistoryRetention(this);
    }

    /// <summary>Flushes, then holds the files of that commit until the snapshot is disposed.</summary>
    public ShardCommitSnapshot AcquireCommitSnapshot()
    {
        Flush();
        var commit = _deletionPolicy.Snapshot();
        var data = commit.UserData;
        return new ShardCommitSnapshot(_deletionPolicy, commit, IndexPath, ReadLong(data, MaxSeqNoKey, -1), ReadLong(data, CheckpointKey, -1));
    }

    public ShardStats Stats()
    {
        using var lease = AcquireSearcher();
        var reader = lease.Searcher.IndexReader;
        long size = 0;
        foreach (var file in System.IO.Directory.EnumerateFiles(IndexPath))
        {
            try
            {
                size += new FileInfo(file).Length;
            }
            catch (IOException)
            {
                // A merge removed it between listing and reading; it no longer counts.
            }
        }

        return new ShardStats(reader.NumDocs, reader.NumDeletedDocs, size, _translog.SizeInBytes,
            Interlocked.Read(ref _indexTotal), Interlocked.Read(ref _deleteTotal), Interlocked.Read(ref _queryTotal),
            _tracker.MaxSeqNo, _tracker.Checkpoint);
    }

    public void Dispose()
    {
        try
        {
            Flush();
        }
        catch (Exception ex) when (ex is ObjectDisposedException or IOException)
        {
            // The writer failed earlier; the translog still holds what the commit lacks.
        }
        finally
        {
            _searchers.Dispose();
            _writer.Dispose();
            _translog.Dispose();
            _directory.Dispose();

            // The roll and term gates are not disposed: a replica write or a term change may still hold or wait on them
            // when the shard closes (a recovery swap, a close on a state change), and ReaderWriterLockSlim.Dispose then
            // throws, out of the close and the state application. The wait events they hold are reclaimed by the GC.
            _idLookups.Dispose();
        }
    }

    private void Recover()
    {
        var checkpoint = _tracker.Checkpoint;
        var replayed = 0;
        foreach (var operation in _translog.ReadAll().Where(o => o.SeqNo > checkpoint).OrderBy(o => o.SeqNo))
        {
            Apply(operation, appendToTranslog: false);
            replayed++;
        }

        if (replayed > 0)
        {
            Flush();
        }

        Refresh();
    }

    private long Apply(ShardOperation operation, bool appendToTranslog)
    {
        _rollGate.EnterReadLock();
        try
        {
            lock (Stripe(operation.Id))
            {
                _tracker.AdvanceMaxSeqNo(operation.SeqNo);
                var current = Lookup(operation.Id);
                try
                {
                    if (current is { } existing && existing.SeqNo >= operation.SeqNo)
                    {
                        return 0;
                    }

                    switch (operation.Kind)
                    {
                        case OperationKind.Index:
                            var document = _factory.Build(operation.Id, operation.Source);
                            AddMetaFields(document, operation.Id, operation.Routing, operation.Source, operation.SeqNo, operation.PrimaryTerm, operation.Version);
                            Write(operation.Id, current, document);
                            _versions.Put(operation.Id, new DocVersion(operation.Version, operation.SeqNo, operation.PrimaryTerm, false));
                            Interlocked.Increment(ref _indexTotal);
                            break;
                        case OperationKind.Delete:
                            _writer.DeleteDocuments(new Term(MetaFields.Id, operation.Id));
                            _versions.Put(operation.Id, new DocVersion(operation.Version, operation.SeqNo, operation.PrimaryTerm, true));
                            Interlocked.Increment(ref _deleteTotal);
                            break;
                        default:
                            break;
                    }

                    Volatile.Write(ref _dirty, 1);
                    return appendToTranslog ? _translog.Append(operation) : 0;
                }
                finally
                {
                    _tracker.MarkProcessed(operation.SeqNo);
                }
            }
        }
        finally
        {
            _rollGate.ExitReadLock();
        }
    }

    private void CheckConstraints(string id, DocVersion? live, WriteConstraints constraints)
    {
        if (constraints.CreateOnly && live is { } existing)
        {
            throw ElasticsearchException.VersionConflict(ShardId.Index, id, $"document already exists (current version [{existing.Version}])");
        }

        if (constraints.IfSeqNo is { } seqNo)
        {
            var term = constraints.IfPrimaryTerm ?? 0;
            if (live is not { } doc)
            {
                throw ElasticsearchException.VersionConflict(ShardId.Index, id,
                    $"required seqNo [{seqNo}], primary term [{term}]. but no document was found");
            }

            if (doc.SeqNo != seqNo || doc.PrimaryTerm != term)
            {
                throw ElasticsearchException.VersionConflict(ShardId.Index, id,
                    $"required seqNo [{seqNo}], primary term [{term}]. current document has seqNo [{doc.SeqNo}] and primary term [{doc.PrimaryTerm}]");
            }
        }

        if (constraints.ExternalVersion is { } external && live is { } current && current.Version >= external)
        {
            throw ElasticsearchException.VersionConflict(ShardId.Index, id,
                $"current version [{current.Version}] is higher or equal to the one provided [{external}]");
        }
    }

    private DocVersion? Lookup(string id)
    {
        if (_versions.TryGet(id, out var pending))
        {
            return pending;
        }

        var searcher = _searchers.Acquire();
        try
        {
            return _idLookups.Value!.Find(searcher.IndexReader, new BytesRef(id));
        }
        finally
        {
            _searchers.Release(searcher);
        }
    }

    /// <summary>
    /// Adds the document, replacing the id's live one if there is one. Under the id's stripe lock the lookup has
    /// just shown whether Lucene holds a live document of that id (the version map covers what the searcher does not
    /// see yet); when it does not, the document is added without a delete term, as Elasticsearch does, so a refresh
    /// has no buffered deletes to apply to every segment.
    /// </summary>
    private void Write(string id, DocVersion? current, Document document)
    {
        if (current is null or { Deleted: true })
        {
            _writer.AddDocument(document);
        }
        else
        {
            _writer.UpdateDocument(new Term(MetaFields.Id, id), document);
        }
    }

    private Lock Stripe(string id) => _stripes[(id.GetHashCode(StringComparison.Ordinal) & int.MaxValue) % StripeCount];

    /// <summary>The metadata fields every document carries (internal so the benchmark's raw Lucene.Net peer can check it indexes the same).</summary>
    internal static void AddMetaFields(Document document, string id, string? routing, ReadOnlyMemory<byte> source, long seqNo, long term, long version)
    {
        document.Add(new StringField(MetaFields.Id, id, Field.Store.YES));
        // Lucene copies stored bytes while indexing, so the source is not copied first.
        document.Add(MemoryMarshal.TryGetArray(source, out var bytes)
            ? new StoredField(MetaFields.Source, bytes.Array, bytes.Offset, bytes.Count)
            : new StoredField(MetaFields.Source, source.ToArray()));
        if (routing is not null)
        {
            document.Add(new StringField(MetaFields.Routing, routing, Field.Store.YES));
        }

        document.Add(new Int64Field(MetaFields.SeqNo, seqNo, Field.Store.YES));
        document.Add(new NumericDocValuesField(MetaFields.SeqNo, seqNo));
        document.Add(new StoredField(MetaFields.Version, version));
        document.Add(new NumericDocValuesField(MetaFields.Version, version));
        document.Add(new StoredField(MetaFields.PrimaryTerm, term));
        document.Add(new NumericDocValuesField(MetaFields.PrimaryTerm, term));
    }

    /// <summary>Reads the metadata and source a hit carries.</summary>
    public static StoredDocument ReadStored(Document document) => new(
        document.Get(MetaFields.Id),
        document.GetField(MetaFields.Version)?.GetInt64Value() ?? 1,
        document.GetField(MetaFields.SeqNo)?.GetInt64Value() ?? 0,
        document.GetField(MetaFields.PrimaryTerm)?.GetInt64Value() ?? 1,
        document.Get(MetaFields.Routing),
        document.GetBinaryValue(MetaFields.Source) is { } bytes ? bytes.Bytes.AsMemory(bytes.Offset, bytes.Length) : ReadOnlyMemory<byte>.Empty);

    private static long ReadLong(IDictionary<string, string>? data, string key, long fallback) =>
        data is not null && data.TryGetValue(key, out var value) && long.TryParse(value, CultureInfo.InvariantCulture, out var parsed) ? parsed : fallback;

    private sealed class HistoryRetention(IndexShard shard) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                Interlocked.Decrement(ref shard._historyRetentions);
            }
        }
    }

    private sealed class Bm25SearcherFactory : SearcherFactory
    {
        public override IndexSearcher NewSearcher(IndexReader reader) => new(reader) { Similarity = new BM25Similarity() };
    }

    private sealed class VersionMapRefreshListener(LiveVersionMap versions) : ReferenceManager.IRefreshListener
    {
        public void BeforeRefresh() => versions.BeforeRefresh();

        public void AfterRefresh(bool didRefresh) => versions.AfterRefresh();
    }
}
