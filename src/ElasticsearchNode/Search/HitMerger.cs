using System.Collections.Immutable;

namespace Cloud.ElasticsearchNode.Search;

/// <summary>
/// Merges the per-shard top hits into one order: by the request's sort values (score descending when
/// none), missing values last, ties by shard then by position in the shard, as Elasticsearch does.
/// </summary>
internal sealed class HitMerger(ImmutableArray<SortSpec> sort) : IComparer<SearchHit>
{
    private readonly ImmutableArray<SortSpec> _sort = sort.IsDefaultOrEmpty ? [SortSpec.ByScore] : sort;

    public IReadOnlyList<SearchHit> Merge(IEnumerable<ShardSearchResult> shards, int from, int size) =>
        [.. shards.SelectMany(s => s.Hits).Order(this).Skip(from).Take(size)];

    public int Compare(SearchHit? x, SearchHit? y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        for (var i = 0; i < _sort.Length; i++)
        {
            var spec = _sort[i];
            var a = spec.Field == SortSpec.Score ? x.Score : i < x.SortValues.Length ? x.SortValues[i] : null;
            var b = spec.Field == SortSpec.Score ? y.Score : i < y.SortValues.Length ? y.SortValues[i] : null;
            var compared = CompareValues(a, b);
            if (compared != 0)
            {
                return spec.Descending ? -compared : compared;
            }
        }

        var byIndex = string.CompareOrdinal(x.Index, y.Index);
        if (byIndex != 0)
        {
            return byIndex;
        }

        return x.Shard != y.Shard ? x.Shard.CompareTo(y.Shard) : x.ShardOrder.CompareTo(y.ShardOrder);
    }

    private static int CompareValues(object? a, object? b) => (a, b) switch
    {
        (null, null) => 0,
        (null, _) => 1,
        (_, null) => -1,
        (string s, string t) => string.CompareOrdinal(s, t),
        (long l, long m) => l.CompareTo(m),
        (float f, float g) => f.CompareTo(g),
        _ => Convert.ToDouble(a, System.Globalization.CultureInfo.InvariantCulture).CompareTo(Convert.ToDouble(b, System.Globalization.CultureInfo.InvariantCulture)),
    };
}
