namespace Cloud.ElasticsearchNode.Search;

/// <summary>One requested aggregation: its name, kind, field and (terms) how many buckets.</summary>
internal sealed record AggregationSpec(string Name, AggregationKind Kind, string Field, int Size = 10, bool OrderByKeyAscending = false, bool OrderByKey = false);
