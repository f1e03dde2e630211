using Cloud.ElasticsearchNode.Errors;

namespace Cloud.ElasticsearchNode.Search;

/// <summary>
/// Where searches go. Part 1 searches the local shards; part 2 fans the same per-shard requests out
/// to the nodes holding a copy of each shard and merges the results the same way.
/// </summary>
internal interface ISearchCoordinator
{
    Task<SearchResponse> SearchAsync(string? indices, SearchRequest request, TimeSpan? scroll, bool ignoreUnavailable, CancellationToken cancellationToken);

    Task<SearchResponse> ScrollAsync(string scrollId, TimeSpan? keepAlive, CancellationToken cancellationToken);

    /// <summary>Frees scroll contexts; returns how many existed.</summary>
    Task<int> ClearScrollAsync(IReadOnlyCollection<string> scrollIds, CancellationToken cancellationToken);

    /// <summary>Opens a point in time over <paramref name="indices"/>; returns its id and the shards it covers. Cluster nodes only.</summary>
    Task<(string Id, int Shards)> OpenPointInTimeAsync(string indices, TimeSpan keepAlive, CancellationToken cancellationToken) =>
        throw ElasticsearchException.IllegalArgument("point in time is served by nodes of a cluster only");

    /// <summary>Frees points in time; returns how many shard contexts existed.</summary>
    Task<int> ClosePointInTimeAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken) =>
        throw ElasticsearchException.IllegalArgument("point in time is served by nodes of a cluster only");
}
