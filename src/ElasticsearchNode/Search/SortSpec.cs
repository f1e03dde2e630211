namespace Cloud.ElasticsearchNode.Search;

/// <summary>One sort key of a search: a field (or <c>_score</c>, <c>_doc</c>), its order, and where missing values go.</summary>
internal sealed record SortSpec(string Field, bool Descending, bool MissingFirst = false)
{
    public const string Score = "_score";
    public const string Doc = "_doc";

    public static SortSpec ByScore { get; } = new(Score, true);
}
