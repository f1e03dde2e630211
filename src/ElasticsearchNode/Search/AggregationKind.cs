namespace Cloud.ElasticsearchNode.Search;

/// <summary>The aggregations this node computes.</summary>
internal enum AggregationKind
{
    Terms,
    Min,
    Max,
    Avg,
    Sum,
    ValueCount,
    Stats,
}
