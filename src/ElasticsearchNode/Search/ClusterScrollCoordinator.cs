using System.Diagnostics;
using Cloud.ElasticsearchNode.Cluster;
using Cloud.ElasticsearchNode.Cluster.Coordination;
using Cloud.ElasticsearchNode.Cluster.Transport;
using Cloud.ElasticsearchNode.Errors;
using Cloud.ElasticsearchNode.Indices;
using Cloud.ElasticsearchNode.Replication;

namespace Cloud.ElasticsearchNode.Search;

/// <summary>
/// Scrolls in a cluster. The first page opens a context on one active copy of every shard (this node's first,
/// another copy when one fails), on whichever node holds it; the scroll id names each context's node. Every
/// page reads the next hits of every context, merges them, and tells each context how many of its hits the page
/// took (so the next page starts after exactly those). Any node can continue or clear a scroll; a context whose
/// node is gone or whose keep-alive passed is a shard failure, and a scroll with no context left is missing.
/// </summary>
internal sealed class ClusterScrollCoordinator(ClusterNode node, IndicesService indices, ShardScrollContexts contexts)
{
    private static readonly TimeSpan DefaultKeepAlive = TimeSpan.FromMinutes(1);

    /// <summary>The contexts this node holds; points in time keep theirs here too (<see cref="ClusterPitCoordinator"/>).</summary>
    public ShardScrollContexts Contexts => contexts;

    public void Register()
    {
        node.Transport.Register<ScrollOpenRequest, ScrollPageResponse>(ScrollActions.Open, (r, _) => Task.FromResult(OpenLocal(r)));
        node.Transport.Register<ScrollPageRequest, ScrollPageResponse>(ScrollActions.Page, (r, _) => Task.FromResult(NextLocal(r)));
        node.Transport.Register<ScrollAdvanceRequest, Empty>(ScrollActions.Advance, (r, _) =>
        {
            contexts.Advance(r.ContextId, r.Consumed);
            return Task.FromResult(Empty.Instance);
        });
        node.Transport.Register<ScrollFreeRequest, ScrollFreeResponse>(ScrollActions.Free, (r, _) => Task.FromResult(new ScrollFreeResponse(contexts.Free(r.ContextIds, r.All))));
    }

    public async Task<SearchResponse> OpenAsync(IReadOnlyList<IndexMetadata> targets, SearchRequest request, TimeSpan keepAlive, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var shards = targets.SelectMany(i => Enumerable.Range(0, i.NumberOfShards).Select(s => (Index: i, Shard: s))).ToList();
        var opened = await Task.WhenAll(shards.Select(s => OpenShardAsync(s.Index, s.Shard, request, keepAlive, cancellationToken)));
        var live = opened.Where(o => o.Page is not null).Select(o => (o.Entry!, o.Page!)).ToList();
        var failures = opened.Where(o => o.Failure is not null).Select(o => o.Failure!).ToList();
        var id = new ClusterScrollId([.. live.Select(l => l.Item1)]).Encode();
        return await PageAsync(live, request, shards.Count, failures, id, started, cancellationToken);
    }

    public async Task<SearchResponse> NextAsync(string scrollId, TimeSpan? keepAlive, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var decoded = ClusterScrollId.Decode(scrollId);
        var keep = (long)(keepAlive ?? DefaultKeepAlive).TotalMilliseconds;
        var answers = await Task.WhenAll(decoded.Shards.Select(async entry =>
        {
            try
            {
                var page = new ScrollPageRequest(entry.ContextId, keep);
                var response = entry.NodeId == node.LocalNode.Id
                    ? NextLocal(page)
                    : await node.Transport.SendAsync<ScrollPageRequest, ScrollPageResponse>(AddressOf(entry), ScrollActions.Page, page, null, cancellationToken);
                return (Entry: entry, Response: (ScrollPageResponse?)response, Failure: (ShardFailure?)null);
            }
            catch (Exception ex) when (ex is TransportException or ElasticsearchException or ObjectDisposedException)
            {
                var type = ex switch
                {
                    TransportException t => t.Type,
                    ElasticsearchException e => e.Type,
                    _ => "search_context_missing_exception",
                };
                return (Entry: entry, Response: (ScrollPageResponse?)null, Failure: (ShardFailure?)new ShardFailure(entry.Index, entry.Shard, type, ex.Message));
            }
        }));
        var failures = answers.Where(a => a.Failure is not null).Select(a => a.Failure!).ToList();
        var live = answers.Where(a => a.Response is not null).Select(a => (a.Entry, a.Response!.Page.ToResult())).ToList();
        if (live.Count == 0 && decoded.Shards.Count > 0)
        {
            throw ElasticsearchException.SearchContextMissing(scrollId);
        }

        // Every context pages the same request (size, sort, what to render): the first one's.
        var request = answers.Select(a => a.Response?.Request).FirstOrDefault(r => r is not null) ?? new SearchRequest();
        return await PageAsync(live, request, decoded.Shards.Count, failures, scrollId, started, cancellationToken);
    }

    /// <summary>Frees the scrolls' contexts on their nodes (with <c>_all</c>, every scroll context on every node); returns how many were freed.</summary>
    public async Task<int> ClearAsync(IReadOnlyCollection<string> scrollIds, CancellationToken cancellationToken)
    {
        if (scrollIds.Contains("_all"))
        {
            var everywhere = await Task.WhenAll(node.State.Nodes.Values.Select(n => FreeOnAsync(n.Id, [], all: true, cancellationToken)));
            return everywhere.Sum();
        }

        var entries = scrollIds.SelectMany(id => ClusterScrollId.Decode(id).Shards).ToList();
        var freed = await Task.WhenAll(entries.GroupBy(e => e.NodeId, StringComparer.Ordinal)
            .Select(g => FreeOnAsync(g.Key, [.. g.Select(e => e.ContextId)], all: false, cancellationToken)));
        return freed.Sum();
    }

    private async Task<int> FreeOnAsync(string nodeId, IReadOnlyList<string> contextIds, bool all, CancellationToken cancellationToken)
    {
        if (nodeId == node.LocalNode.Id)
        {
            return contexts.Free(contextIds, all);
        }

        if (!node.State.Nodes.TryGetValue(nodeId, out var target))
        {
            return 0; // its contexts went with it
        }

        try
        {
            var response = await node.Transport.SendAsync<ScrollFreeRequest, ScrollFreeResponse>(target.TransportAddress, ScrollActions.Free, new ScrollFreeRequest(contextIds, all), null, cancellationToken);
            return response.Freed;
        }
        catch (TransportException)
        {
            return 0;
        }
    }

    /// <summary>Merges one page, moves every context past the hits the page took, and renders the response.</summary>
    private async Task<SearchResponse> PageAsync(List<(ClusterScrollId.Entry Entry, ShardSearchResult Page)> live, SearchRequest request, int total, List<ShardFailure> failures,
        string scrollId, long started, CancellationToken cancellationToken)
    {
        var results = live.Select(l => l.Page).ToList();
        var hits = new HitMerger(request.Sort).Merge(results, 0, request.Size);
        await Task.WhenAll(live.Select(async l =>
        {
            var consumed = hits.Count(h => h.Index == l.Page.Index && h.Shard == l.Page.Shard);
            if (consumed > 0)
            {
                await AdvanceAsync(l.Entry, consumed, cancellationToken);
            }
        }));
        var aggregations = new List<AggregationPartial>();
        foreach (var result in results)
        {
            for (var i = 0; i < result.Aggregations.Count; i++)
            {
                if (aggregations.Count <= i)
                {
                    aggregations.Add(new AggregationPartial(result.Aggregations[i].Spec, null));
                }

                aggregations[i].Merge(result.Aggregations[i]);
            }
        }

        var scores = results.Select(r => r.MaxScore).Where(s => !float.IsNaN(s)).ToList();
        return new SearchResponse((long)Stopwatch.GetElapsedTime(started).TotalMilliseconds, total, results.Count, failures,
            results.Sum(r => r.TotalHits), scores.Count == 0 ? float.NaN : scores.Max(), hits, aggregations, scrollId) { Request = request };
    }

    private async Task AdvanceAsync(ClusterScrollId.Entry entry, int consumed, CancellationToken cancellationToken)
    {
        try
        {
            if (entry.NodeId == node.LocalNode.Id)
            {
                contexts.Advance(entry.ContextId, consumed);
                return;
            }

            await node.Transport.SendAsync<ScrollAdvanceRequest, Empty>(AddressOf(entry), ScrollActions.Advance, new ScrollAdvanceRequest(entry.ContextId, consumed), null, cancellationToken);
        }
        catch (Exception ex) when (ex is TransportException or ElasticsearchException)
        {
            // The context expired or its node left: the next page reports that shard as failed.
        }
    }

    private async Task<(ClusterScrollId.Entry? Entry, ShardSearchResult? Page, ShardFailure? Failure)> OpenShardAsync(
        IndexMetadata index, int shard, SearchRequest request, TimeSpan keepAlive, CancellationToken cancellationToken)
    {
        var open = new ScrollOpenRequest(new ShardQueryRequest(index.Name, index.Uuid, shard, request, request.Size), (long)keepAlive.TotalMilliseconds);
        var reason = "no active copy";
        var local = request.Preference == "_only_local";
        foreach (var copy in ShardCopies.ReadOrder(node.State, index.Name, shard, node.LocalNode.Id).Where(c => !local || c.Id == node.LocalNode.Id))
        {
            try
            {
                var response = copy.Id == node.LocalNode.Id
                    ? OpenLocal(open)
                    : await node.Transport.SendAsync<ScrollOpenRequest, ScrollPageResponse>(copy.TransportAddress, ScrollActions.Open, open, null, cancellationToken);
                return (new ClusterScrollId.Entry(copy.Id, response.ContextId, index.Name, shard), response.Page.ToResult(), null);
            }
            catch (Exception ex) when (ex is TransportException or ElasticsearchException or ObjectDisposedException)
            {
                reason = ex.Message; // another copy may answer (this one is closing or moved away)
            }
        }

        return (null, null, new ShardFailure(index.Name, shard, "no_shard_available_action_exception", reason));
    }

    private ScrollPageResponse OpenLocal(ScrollOpenRequest request)
    {
        var query = request.Query;
        var service = indices.Get(query.IndexUuid);
        var shard = service?.Shards[query.Shard].Shard
            ?? throw ElasticsearchException.ShardNotAvailable(query.Index, $"[{query.Index}][{query.Shard}] is not open on this node");
        var (contextId, page) = contexts.Open(service!, shard, query.Request, TimeSpan.FromMilliseconds(request.KeepAliveMs));
        return new ScrollPageResponse(contextId, query.Request, ShardQueryResponse.From(page));
    }

    private ScrollPageResponse NextLocal(ScrollPageRequest request)
    {
        var (page, paged) = contexts.Next(request.ContextId, TimeSpan.FromMilliseconds(request.KeepAliveMs));
        return new ScrollPageResponse(request.ContextId, paged, ShardQueryResponse.From(page));
    }

    private string AddressOf(ClusterScrollId.Entry entry) =>
        node.State.Nodes.TryGetValue(entry.NodeId, out var holder)
            ? holder.TransportAddress
            : throw new ElasticsearchException("search_context_missing_exception", $"node [{entry.NodeId}] holding the scroll context of [{entry.Index}][{entry.Shard}] left the cluster", 404);
}
