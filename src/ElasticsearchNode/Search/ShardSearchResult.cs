namespace Cloud.ElasticsearchNode.Search;

/// <summary>What one shard returns for a search: its total, its top hits (already fetched) and partial aggregations.</summary>
internal sealed record ShardSearchResult(string Index, int Shard, long TotalHits, float MaxScore, IReadOnlyList<SearchHit> Hits, IReadOnlyList<AggregationPartial> Aggregations);
