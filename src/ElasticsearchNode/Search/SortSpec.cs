namespace Cloud.ElasticsearchNode.Search;

/// <summary>One sort key of a search: a field (or <c>_score</c>, <c>_doc</c>), its order, and where missing values go.</summary>
internal sealed record SortSpec(string Field, bool Descending, bool MissingFirst = false)
{
    public const string Score = "_score";
    public const string Doc = "_doc";

    /// <summary>Elasticsearch 8's tiebreaker within a point in time: the shard's place in it (high 32 bits) and the Lucene doc id.</summary>
    public const string ShardDoc = "_shard_doc";

    public static SortSpec ByScore { get; } = new(Score, true);
}
