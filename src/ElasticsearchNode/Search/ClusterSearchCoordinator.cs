using System.Diagnostics;
using Cloud.ElasticsearchNode.Cluster;
using Cloud.ElasticsearchNode.Cluster.Transport;
using Cloud.ElasticsearchNode.Errors;
using Cloud.ElasticsearchNode.Indices;
using Cloud.ElasticsearchNode.Replication;

namespace Cloud.ElasticsearchNode.Search;

/// <summary>
/// A cluster node's search coordinator: the same per-shard query as a lone node runs, sent to one active
/// copy of each shard (this node's first, another copy when one fails), merged with <see cref="HitMerger"/>
/// and <see cref="AggregationPartial.Merge"/>. Scrolls keep a context on the node holding each shard's copy
/// (<see cref="ClusterScrollCoordinator"/>).
/// </summary>
internal sealed class ClusterSearchCoordinator(ClusterNode node, IIndexMetadataService metadata, IndicesService indices, ClusterScrollCoordinator scrolls) : ISearchCoordinator
{
    private readonly ClusterPitCoordinator _pits = new(node, indices, scrolls.Contexts, scrolls);

    public void Register()
    {
        node.Transport.Register<ShardQueryRequest, ShardQueryResponse>(ShardQueryResponse.Action, (r, _) => Task.FromResult(ShardQueryResponse.From(QueryLocal(r))));
        scrolls.Register();
        _pits.Register();
    }

    public async Task<SearchResponse> SearchAsync(string? indexExpression, SearchRequest request, TimeSpan? scroll, bool ignoreUnavailable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Pit is not null)
        {
            // As Elasticsearch: the point in time names the indices, and it is no scroll.
            return indexExpression is not null || scroll is not null
                ? throw new ElasticsearchException("action_request_validation_exception", $"Validation Failed: 1: [{(scroll is null ? "indices" : "scroll")}] cannot be used with point in time;", 400)
                : await _pits.SearchAsync(request, cancellationToken);
        }

        if (ShardDocSort.PositionIn(request.Sort) >= 0)
        {
            throw ElasticsearchException.IllegalArgument("[_shard_doc] sort field cannot be used without [point in time]");
        }

        var started = Stopwatch.GetTimestamp();
        var targets = IndexResolver.Resolve(metadata.Current, indexExpression, ignoreUnavailable);
        if (scroll is { } keepAlive)
        {
            return await scrolls.OpenAsync(targets, request, keepAlive, cancellationToken);
        }

        var topN = request.From + request.Size;
        var shards = targets.SelectMany(i => Enumerable.Range(0, i.NumberOfShards).Select(s => (Index: i, Shard: s))).ToList();
        var answers = await Task.WhenAll(shards.Select(s => QueryShardAsync(s.Index, s.Shard, request, topN, cancellationToken)));
        var results = answers.Where(a => a.Result is not null).Select(a => a.Result!).ToList();
        var failures = answers.Where(a => a.Failure is not null).Select(a => a.Failure!).ToList();
        var hits = new HitMerger(request.Sort).Merge(results, request.From, request.Size);
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

        var scores = results.Select(r => r.MaxScore).Where(s => !float.IsNaN(s)).ToList();
        return new SearchResponse((long)Stopwatch.GetElapsedTime(started).TotalMilliseconds, shards.Count, results.Count, failures,
            results.Sum(r => r.TotalHits), scores.Count == 0 ? float.NaN : scores.Max(), hits, merged, null);
    }

    public Task<SearchResponse> ScrollAsync(string scrollId, TimeSpan? keepAlive, CancellationToken cancellationToken) =>
        scrolls.NextAsync(scrollId, keepAlive, cancellationToken);

    public Task<int> ClearScrollAsync(IReadOnlyCollection<string> scrollIds, CancellationToken cancellationToken) =>
        scrolls.ClearAsync(scrollIds, cancellationToken);

    public Task<(string Id, int Shards)> OpenPointInTimeAsync(string indices, TimeSpan keepAlive, CancellationToken cancellationToken) =>
        _pits.OpenAsync(IndexResolver.Resolve(metadata.Current, indices, ignoreUnavailable: false), keepAlive, cancellationToken);

    public Task<int> ClosePointInTimeAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken) =>
        _pits.CloseAsync(ids, cancellationToken);

    private async Task<(ShardSearchResult? Result, ShardFailure? Failure)> QueryShardAsync(IndexMetadata index, int shard, SearchRequest request, int topN, CancellationToken cancellationToken)
    {
        var query = new ShardQueryRequest(index.Name, index.Uuid, shard, request, topN);
        var reason = "no active copy";
        var local = request.Preference == "_only_local";
        foreach (var copy in ShardCopies.ReadOrder(node.State, index.Name, shard, node.LocalNode.Id).Where(c => !local || c.Id == node.LocalNode.Id))
        {
            try
            {
                if (copy.Id == node.LocalNode.Id)
                {
                    return (QueryLocal(query), null);
                }

                var response = await node.Transport.SendAsync<ShardQueryRequest, ShardQueryResponse>(copy.TransportAddress, ShardQueryResponse.Action, query, null, cancellationToken);
                return (response.ToResult(), null);
            }
            catch (Exception ex) when (ex is TransportException or ElasticsearchException or ObjectDisposedException)
            {
                reason = ex.Message; // another copy may answer (this one is closing or moved away)
            }
        }

        return (null, new ShardFailure(index.Name, shard, "no_shard_available_action_exception", reason));
    }

    private ShardSearchResult QueryLocal(ShardQueryRequest request)
    {
        var service = indices.Get(request.IndexUuid);
        var shard = service?.Shards[request.Shard].Shard
            ?? throw ElasticsearchException.ShardNotAvailable(request.Index, $"[{request.Index}][{request.Shard}] is not open on this node");
        using var lease = shard.AcquireSearcher();
        return ShardSearcher.Execute(service!, shard, lease, request.Request, request.TopN, null);
    }
}
