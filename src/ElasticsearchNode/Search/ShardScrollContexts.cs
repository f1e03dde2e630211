using System.Collections.Concurrent;
using System.Security.Cryptography;
using Cloud.ElasticsearchNode.Engine;
using Cloud.ElasticsearchNode.Errors;
using Cloud.ElasticsearchNode.Indices;
using Lucene.Net.Search;

namespace Cloud.ElasticsearchNode.Search;

/// <summary>
/// The scroll contexts a cluster node keeps for the shard copies it holds, as Elasticsearch keeps them on the
/// data nodes: each pins one point-in-time searcher of one shard with the request, and remembers where the
/// hits already handed out end. The coordinating node (any node) reads a page from every context of a scroll,
/// merges, and then tells each context how many of its hits the merged page took, so the next page starts
/// right after them. A context lives until cleared or until its keep-alive passes without a page.
/// </summary>
internal sealed class ShardScrollContexts : IDisposable
{
    private static readonly TimeSpan PurgeInterval = TimeSpan.FromSeconds(1);
    private readonly ConcurrentDictionary<string, Context> _contexts = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly ITimer _purge;

    public ShardScrollContexts(TimeProvider time)
    {
        _time = time;
        _purge = time.CreateTimer(_ => PurgeExpired(), null, PurgeInterval, PurgeInterval);
    }

    public int Count => _contexts.Count;

    /// <summary>Pins the shard's current searcher, runs the first page and keeps the context; returns its id with the page.</summary>
    public (string ContextId, ShardSearchResult Page) Open(IndexService index, IndexShard shard, SearchRequest request, TimeSpan keepAlive)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(shard);
        ArgumentNullException.ThrowIfNull(request);
        var lease = shard.AcquireSearcher();
        try
        {
            var page = ShardSearcher.Execute(index, shard, lease, request, request.Size, null);

            // Later pages only page on: the aggregations came with the first.
            var context = new Context(index, shard, lease, request with { Aggregations = [] });
            context.KeepUntil(_time.GetUtcNow() + keepAlive);
            context.LastPage = [.. page.Hits.Select(h => h.Cursor)];
            var id = NewId();
            _contexts[id] = context;
            return (id, page);
        }
        catch
        {
            lease.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A point in time's context: pins the shard's current searcher with no request of its own (each search brings one);
    /// it lives until closed or until its keep-alive passes. Scroll's clear-all leaves it alone, as in Elasticsearch.
    /// </summary>
    public string OpenPit(IndexService index, IndexShard shard, TimeSpan keepAlive)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(shard);
        var context = new Context(index, shard, shard.AcquireSearcher(), new SearchRequest()) { IsPit = true };
        context.KeepUntil(_time.GetUtcNow() + keepAlive);
        var id = NewId();
        _contexts[id] = context;
        return id;
    }

    /// <summary>Runs <paramref name="request"/> on a point in time's pinned searcher; a <paramref name="keepAlive"/> extends it from now.</summary>
    public ShardSearchResult SearchPit(string contextId, SearchRequest request, int topN, int ordinal, TimeSpan? keepAlive)
    {
        var context = Find(contextId);
        if (!context.IsPit)
        {
            throw ElasticsearchException.SearchContextMissing(contextId);
        }

        if (keepAlive is { } extend && _time.GetUtcNow() + extend > context.ExpiresAt)
        {
            context.KeepUntil(_time.GetUtcNow() + extend);
        }

        return ShardSearcher.Execute(context.Index, context.Shard, context.Lease, request, topN, null, ordinal);
    }

    /// <summary>The next page of a context (the hits after those the previous merged pages took) and the request it pages; the keep-alive starts over.</summary>
    public (ShardSearchResult Page, SearchRequest Request) Next(string contextId, TimeSpan keepAlive)
    {
        var context = Find(contextId);
        lock (context.Gate)
        {
            context.KeepUntil(_time.GetUtcNow() + keepAlive);
            var page = ShardSearcher.Execute(context.Index, context.Shard, context.Lease, context.Request, context.Request.Size, context.After);
            context.LastPage = [.. page.Hits.Select(h => h.Cursor)];
            return (page, context.Request);
        }
    }

    /// <summary>The merged page took the first <paramref name="consumed"/> hits of this context's last page.</summary>
    public void Advance(string contextId, int consumed)
    {
        var context = Find(contextId);
        lock (context.Gate)
        {
            if (consumed > 0 && consumed <= context.LastPage.Count)
            {
                context.After = context.LastPage[consumed - 1];
            }
        }
    }

    /// <summary>Frees the given contexts (every one with <paramref name="all"/>); returns how many existed.</summary>
    public int Free(IEnumerable<string> contextIds, bool all)
    {
        var freed = 0;
        foreach (var id in all ? [.. _contexts.Where(c => !c.Value.IsPit).Select(c => c.Key)] : contextIds)
        {
            if (_contexts.TryRemove(id, out var context))
            {
                Release(context);
                freed++;
            }
        }

        return freed;
    }

    public void PurgeExpired()
    {
        var now = _time.GetUtcNow();
        foreach (var (id, context) in _contexts)
        {
            if (context.ExpiresAt < now && _contexts.TryRemove(id, out _))
            {
                Release(context);
            }
        }
    }

    public void Dispose()
    {
        _purge.Dispose();
        Free([], all: true);
    }

    private Context Find(string contextId) =>
        _contexts.TryGetValue(contextId, out var context) && context.ExpiresAt >= _time.GetUtcNow()
            ? context
            : throw ElasticsearchException.SearchContextMissing(contextId);

    /// <summary>Lets the searcher go; the shard may have closed meanwhile (its copy moved away), which ends its readers anyway.</summary>
    private static void Release(Context context)
    {
        try
        {
            context.Lease.Dispose();
        }
        catch (ObjectDisposedException)
        {
            // Closed with the shard.
        }
    }

    private static string NewId() => Convert.ToHexString(RandomNumberGenerator.GetBytes(12));

    private sealed class Context(IndexService index, IndexShard shard, SearcherLease lease, SearchRequest request)
    {
        public IndexService Index { get; } = index;

        public IndexShard Shard { get; } = shard;

        public SearcherLease Lease { get; } = lease;

        public SearchRequest Request { get; } = request;

        public Lock Gate { get; } = new();

        public bool IsPit { get; init; }

        private long _expiresAt;

        public DateTimeOffset ExpiresAt => new(Volatile.Read(ref _expiresAt), TimeSpan.Zero);

        public FieldDoc? After { get; set; }

        public IReadOnlyList<FieldDoc?> LastPage { get; set; } = [];

        public void KeepUntil(DateTimeOffset at) => Volatile.Write(ref _expiresAt, at.UtcTicks);
    }
}
