using System.Diagnostics;
using Cloud.ElasticsearchNode.Cluster;
using Cloud.ElasticsearchNode.Cluster.Transport;
using Cloud.ElasticsearchNode.Errors;
using Cloud.ElasticsearchNode.Indices;
using Cloud.ElasticsearchNode.Replication;

namespace Cloud.ElasticsearchNode.Search;

/// <summary>
/// Points in time in a cluster, on the scroll machinery: opening one pins a searcher on one active copy of every shard
/// (this node's first) as a context in <see cref="ShardScrollContexts"/> on the node holding it, and the id (the scroll id's
/// format: each context's node, id, index and shard) lets any node search it. Every search sends its own request to each
/// context with the shard's place in the id (for <c>_shard_doc</c>), merges like any search and answers with <c>pit_id</c>;
/// closing frees the contexts as clearing a scroll does. A context that is gone is a shard failure, all gone a 404.
/// </summary>
internal sealed class ClusterPitCoordinator(ClusterNode node, IndicesService indices, ShardScrollContexts contexts, ClusterScrollCoordinator scrolls)
{
    public void Register()
    {
        node.Transport.Register<PitOpenRequest, PitOpenResponse>(PitActions.Open, (r, _) => Task.FromResult(OpenLocal(r)));
        node.Transport.Register<PitSearchRequest, ShardQueryResponse>(PitActions.Search, (r, _) => Task.FromResult(ShardQueryResponse.From(SearchLocal(r))));
    }

    /// <summary>Opens a point in time over every shard of <paramref name="targets"/>; returns its id and how many shards it covers.</summary>
    public async Task<(string Id, int Shards)> OpenAsync(IReadOnlyList<IndexMetadata> targets, TimeSpan keepAlive, CancellationToken cancellationToken)
    {
        var shards = targets.SelectMany(i => Enumerable.Range(0, i.NumberOfShards).Select(s => (Index: i, Shard: s))).ToList();
        var opened = await Task.WhenAll(shards.Select(s => OpenShardAsync(s.Index, s.Shard, keepAlive, cancellationToken)));
        var id = new ClusterScrollId([.. opened.Where(o => o.Entry is not null).Select(o => o.Entry!)]).Encode();
        if (opened.FirstOrDefault(o => o.Entry is null) is { Failure: { } failure } missing)
        {
            // Elasticsearch refuses a point in time it cannot open on every shard; what did open is freed.
            await scrolls.ClearAsync([id], CancellationToken.None);
            throw ElasticsearchException.ShardNotAvailable(missing.Index, failure);
        }

        return (id, shards.Count);
    }

    public async Task<SearchResponse> SearchAsync(SearchRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var pit = request.Pit ?? throw new ArgumentException("the request has no point in time", nameof(request));
        var started = Stopwatch.GetTimestamp();
        var decoded = ClusterScrollId.Decode(pit.Id);
        var keepAliveMs = pit.KeepAlive is { } keepAlive ? (long)TimeValue.Parse(keepAlive).TotalMilliseconds : 0;
        var shardRequest = request with { Pit = null };
        var topN = request.From + request.Size;
        var answers = await Task.WhenAll(decoded.Shards.Select((entry, ordinal) =>
            SearchShardAsync(entry, new PitSearchRequest(entry.ContextId, shardRequest, topN, ordinal, keepAliveMs), cancellationToken)));
        var results = answers.Where(a => a.Result is not null).Select(a => a.Result!).ToList();
        var failures = answers.Where(a => a.Failure is not null).Select(a => a.Failure!).ToList();
        if (results.Count == 0 && decoded.Shards.Count > 0)
        {
            throw ElasticsearchException.SearchContextMissing(pit.Id);
        }

        var hits = new HitMerger(request.Sort).Merge(results, request.From, request.Size);
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
        return new SearchResponse((long)Stopwatch.GetElapsedTime(started).TotalMilliseconds, decoded.Shards.Count, results.Count, failures,
            results.Sum(r => r.TotalHits), scores.Count == 0 ? float.NaN : scores.Max(), hits, aggregations, null) { PitId = pit.Id };
    }

    /// <summary>Frees the points in time's contexts on their nodes (the id has the scroll id's format); returns how many existed.</summary>
    public Task<int> CloseAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken) => scrolls.ClearAsync(ids, cancellationToken);

    private async Task<(ShardSearchResult? Result, ShardFailure? Failure)> SearchShardAsync(ClusterScrollId.Entry entry, PitSearchRequest request, CancellationToken cancellationToken)
    {
        try
        {
            if (entry.NodeId == node.LocalNode.Id)
            {
                return (SearchLocal(request), null);
            }

            var holder = node.State.Nodes.TryGetValue(entry.NodeId, out var found)
                ? found
                : throw new ElasticsearchException("search_context_missing_exception", $"node [{entry.NodeId}] holding the point in time's context of [{entry.Index}][{entry.Shard}] left the cluster", 404);
            var response = await node.Transport.SendAsync<PitSearchRequest, ShardQueryResponse>(holder.TransportAddress, PitActions.Search, request, null, cancellationToken);
            return (response.ToResult(), null);
        }
        catch (Exception ex) when (ex is TransportException or ElasticsearchException or ObjectDisposedException)
        {
            var type = ex switch
            {
                TransportException t => t.Type,
                ElasticsearchException e => e.Type,
                _ => "search_context_missing_exception",
            };
            return (null, new ShardFailure(entry.Index, entry.Shard, type, ex.Message));
        }
    }

    private async Task<(ClusterScrollId.Entry? Entry, string? Failure, string Index)> OpenShardAsync(IndexMetadata index, int shard, TimeSpan keepAlive, CancellationToken cancellationToken)
    {
        var open = new PitOpenRequest(index.Name, index.Uuid, shard, (long)keepAlive.TotalMilliseconds);
        var reason = "no active copy";
        foreach (var copy in ShardCopies.ReadOrder(node.State, index.Name, shard, node.LocalNode.Id))
        {
            try
            {
                var response = copy.Id == node.LocalNode.Id
                    ? OpenLocal(open)
                    : await node.Transport.SendAsync<PitOpenRequest, PitOpenResponse>(copy.TransportAddress, PitActions.Open, open, null, cancellationToken);
                return (new ClusterScrollId.Entry(copy.Id, response.ContextId, index.Name, shard), null, index.Name);
            }
            catch (Exception ex) when (ex is TransportException or ElasticsearchException or ObjectDisposedException)
            {
                reason = ex.Message; // another copy may answer (this one is closing or moved away)
            }
        }

        return (null, $"[{index.Name}][{shard}]: {reason}", index.Name);
    }

    private PitOpenResponse OpenLocal(PitOpenRequest request)
    {
        var service = indices.Get(request.IndexUuid);
        var shard = service?.Shards[request.Shard].Shard
            ?? throw ElasticsearchException.ShardNotAvailable(request.Index, $"[{request.Index}][{request.Shard}] is not open on this node");
        return new PitOpenResponse(contexts.OpenPit(service!, shard, TimeSpan.FromMilliseconds(request.KeepAliveMs)));
    }

    private ShardSearchResult SearchLocal(PitSearchRequest request) =>
        contexts.SearchPit(request.ContextId, request.Request, request.TopN, request.Ordinal, request.KeepAliveMs > 0 ? TimeSpan.FromMilliseconds(request.KeepAliveMs) : null);
}
