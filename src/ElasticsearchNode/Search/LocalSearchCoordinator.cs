using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using Cloud.ElasticsearchNode.Errors;
using Cloud.ElasticsearchNode.Indices;

namespace Cloud.ElasticsearchNode.Search;

/// <summary>
/// Part 1's search coordinator: runs the request on every local shard of the resolved indices (in
/// parallel), merges the top hits and the aggregations, and keeps scroll contexts between pages.
/// A failed shard is reported in <c>_shards.failures</c>; the other shards still answer.
/// </summary>
internal sealed class LocalSearchCoordinator(IIndexMetadataService metadata, IndicesService indices, TimeProvider time) : ISearchCoordinator, IDisposable
{
    private readonly ConcurrentDictionary<string, ScrollContext> _scrolls = new(StringComparer.Ordinal);

    public int OpenScrolls => _scrolls.Count;

    public async Task<SearchResponse> SearchAsync(string? indexExpression, SearchRequest request, TimeSpan? scroll, bool ignoreUnavailable, CancellationToken cancellationToken)
    {
        PurgeExpired();
        var started = Stopwatch.GetTimestamp();
        var targets = IndexResolver.Resolve(metadata.Current, indexExpression, ignoreUnavailable);
        var failures = new List<ShardFailure>();
        var cursors = new List<ScrollContext.ShardCursor>();
        foreach (var index in targets)
        {
            if (indices.Get(index.Uuid) is not { } service)
            {
                continue;
            }

            foreach (var slot in service.Shards)
            {
                if (slot.Shard is { } shard)
                {
                    cursors.Add(new ScrollContext.ShardCursor(service, shard, shard.AcquireSearcher()));
                }
                else
                {
                    failures.Add(new ShardFailure(index.Name, slot.Number, "no_shard_available_action_exception", slot.Failure ?? "shard failed"));
                }
            }
        }

        var keep = false;
        try
        {
            var topN = scroll is null ? request.From + request.Size : request.Size;
            var results = await RunAsync(cursors, request, topN, cancellationToken);
            var merger = new HitMerger(request.Sort);
            var hits = merger.Merge(results, scroll is null ? request.From : 0, request.Size);
            var total = results.Sum(r => r.TotalHits);
            string? scrollId = null;
            if (scroll is { } keepAlive)
            {
                var context = new ScrollContext(request, cursors, total) { ExpiresAt = time.GetUtcNow() + keepAlive };
                Advance(context, hits);
                scrollId = NewScrollId();
                _scrolls[scrollId] = context;
                keep = true;
            }

            return new SearchResponse(Elapsed(started), cursors.Count + failures.Count, cursors.Count, failures, total,
                MaxScore(results), hits, MergeAggregations(results), scrollId);
        }
        finally
        {
            if (!keep)
            {
                foreach (var cursor in cursors)
                {
                    cursor.Lease.Dispose();
                }
            }
        }
    }

    public async Task<SearchResponse> ScrollAsync(string scrollId, TimeSpan? keepAlive, CancellationToken cancellationToken)
    {
        PurgeExpired();
        if (!_scrolls.TryGetValue(scrollId, out var context))
        {
            throw ElasticsearchException.SearchContextMissing(scrollId);
        }

        var started = Stopwatch.GetTimestamp();
        var results = await RunAsync(context.Shards, context.Request, context.Request.Size, cancellationToken);
        var hits = new HitMerger(context.Request.Sort).Merge(results, 0, context.Request.Size);
        lock (context.Gate)
        {
            Advance(context, hits);
            context.ExpiresAt = time.GetUtcNow() + (keepAlive ?? TimeSpan.FromMinutes(1));
        }

        return new SearchResponse(Elapsed(started), context.Shards.Count, context.Shards.Count, [], context.TotalHits,
            MaxScore(results), hits, [], scrollId) { Request = context.Request };
    }

    public Task<int> ClearScrollAsync(IReadOnlyCollection<string> scrollIds, CancellationToken cancellationToken) => Task.FromResult(ClearScroll(scrollIds));

    public int ClearScroll(IReadOnlyCollection<string> scrollIds)
    {
        var freed = 0;
        foreach (var id in scrollIds.Contains("_all") ? [.. _scrolls.Keys] : scrollIds)
        {
            if (_scrolls.TryRemove(id, out var context))
            {
                context.Dispose();
                freed++;
            }
        }

        return freed;
    }

    public void PurgeExpired()
    {
        var now = time.GetUtcNow();
        foreach (var (id, context) in _scrolls)
        {
            if (context.ExpiresAt < now && _scrolls.TryRemove(id, out _))
            {
                context.Dispose();
            }
        }
    }

    public void Dispose() => ClearScroll(["_all"]);

    private static async Task<ShardSearchResult[]> RunAsync(IReadOnlyList<ScrollContext.ShardCursor> cursors, SearchRequest request, int topN, CancellationToken cancellationToken)
    {
        if (cursors.Count == 1)
        {
            var only = cursors[0];
            return [ShardSearcher.Execute(only.Index, only.Shard, only.Lease, request, topN, only.After)];
        }

        return await Task.WhenAll(cursors.Select(c => Task.Run(() => ShardSearcher.Execute(c.Index, c.Shard, c.Lease, request, topN, c.After), cancellationToken)));
    }

    /// <summary>Moves each shard's cursor to the last of its hits in the page handed out.</summary>
    private static void Advance(ScrollContext context, IReadOnlyList<SearchHit> page)
    {
        foreach (var hit in page)
        {
            var cursor = context.Shards.First(s => s.Shard.ShardId.Index == hit.Index && s.Shard.ShardId.Shard == hit.Shard);
            cursor.After = hit.Cursor;
        }
    }

    private static List<AggregationPartial> MergeAggregations(IReadOnlyList<ShardSearchResult> results)
    {
        var merged = new List<AggregationPartial>();
        foreach (var result in results)
        {
            for (var i = 0; i < result.Aggregations.Count; i++)
            {
                if (merged.Count <= i)
                {
                    merged.Add(new AggregationPartial(result.Aggregations[i].Spec, null));
                }

                merged[i].Merge(result.Aggregations[i]);
            }
        }

        return merged;
    }

    private static float MaxScore(IEnumerable<ShardSearchResult> results)
    {
        var scores = results.Select(r => r.MaxScore).Where(s => !float.IsNaN(s)).ToList();
        return scores.Count == 0 ? float.NaN : scores.Max();
    }

    private static long Elapsed(long started) => (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;

    private static string NewScrollId() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('/', '_').Replace('+', '-');
}
