namespace Cloud.ElasticsearchNode.Search;

/// <summary>The merged result of a search over all shards it touched.</summary>
internal sealed record SearchResponse(
    long TookMs,
    int TotalShards,
    int SuccessfulShards,
    IReadOnlyList<ShardFailure> Failures,
    long TotalHits,
    float MaxScore,
    IReadOnlyList<SearchHit> Hits,
    IReadOnlyList<AggregationPartial> Aggregations,
    string? ScrollId)
{
    /// <summary>The request the hits answer, when the caller did not send it (a scroll page): what to render and how.</summary>
    public SearchRequest? Request { get; init; }

    /// <summary>The point in time the search read, rendered as <c>pit_id</c>.</summary>
    public string? PitId { get; init; }
}
