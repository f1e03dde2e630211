using System.Globalization;
using Cloud.ElasticsearchNode.Engine;

namespace Cloud.ElasticsearchNode.Search;

// A shard-level search between the coordinating node and the node holding the copy, with the wire
// forms of hits and aggregation partials (sort values and bucket keys keep their CLR type).

internal sealed record ShardQueryRequest(string Index, string IndexUuid, int Shard, SearchRequest Request, int TopN);

internal sealed record ShardQueryResponse(string Index, int Shard, long TotalHits, float? MaxScore, IReadOnlyList<WireHit> Hits, IReadOnlyList<WireAggregation> Aggregations)
{
    public const string Action = "indices:data/read/search[phase/query+fetch]";

    public static ShardQueryResponse From(ShardSearchResult result) => new(result.Index, result.Shard, result.TotalHits, float.IsNaN(result.MaxScore) ? null : result.MaxScore,
        [.. result.Hits.Select(h => new WireHit(h.Index, h.Shard, h.Document, float.IsNaN(h.Score) ? null : h.Score, [.. h.SortValues.Select(WireValue.From)], h.ShardOrder))],
        [.. result.Aggregations.Select(a => new WireAggregation(a.Spec, a.FieldType, [.. a.Buckets.Select(b => new WireBucket(WireValue.From(b.Key), b.Value))],
            a.Count, a.Sum, double.IsInfinity(a.Min) ? null : a.Min, double.IsInfinity(a.Max) ? null : a.Max))]);

    public ShardSearchResult ToResult() => new(Index, Shard, TotalHits, MaxScore ?? float.NaN,
        [.. Hits.Select(h => new SearchHit(h.Index, h.Shard, h.Document, h.Score ?? float.NaN, [.. h.SortValues.Select(v => v.ToValue())], h.ShardOrder))],
        [.. Aggregations.Select(a => AggregationPartial.Restore(a.Spec, a.FieldType, a.Buckets.Select(b => KeyValuePair.Create(b.Key.ToValue()!, b.Count)),
            a.Count, a.Sum, a.Min ?? double.PositiveInfinity, a.Max ?? double.NegativeInfinity))]);
}

internal sealed record WireHit(string Index, int Shard, StoredDocument Document, float? Score, IReadOnlyList<WireValue> SortValues, int ShardOrder);

internal sealed record WireAggregation(AggregationSpec Spec, string? FieldType, IReadOnlyList<WireBucket> Buckets, long Count, double Sum, double? Min, double? Max);

internal sealed record WireBucket(WireValue Key, long Count);

/// <summary>A sort value or bucket key: long (<c>l</c>), double (<c>d</c>), string (<c>s</c>) or null.</summary>
internal sealed record WireValue(string Kind, string? Value)
{
    public static WireValue From(object? value) => value switch
    {
        null => new("n", null),
        long l => new("l", l.ToString(CultureInfo.InvariantCulture)),
        int i => new("l", i.ToString(CultureInfo.InvariantCulture)),
        double d => new("d", d.ToString("R", CultureInfo.InvariantCulture)),
        float f => new("d", ((double)f).ToString("R", CultureInfo.InvariantCulture)),
        _ => new("s", Convert.ToString(value, CultureInfo.InvariantCulture)),
    };

    public object? ToValue() => Kind switch
    {
        "l" => long.Parse(Value!, CultureInfo.InvariantCulture),
        "d" => double.Parse(Value!, CultureInfo.InvariantCulture),
        "s" => Value,
        _ => null,
    };
}
