using System.Globalization;
using System.Text.Json.Nodes;
using Cloud.ElasticsearchNode.Mapping;

namespace Cloud.ElasticsearchNode.Search;

/// <summary>
/// An aggregation's state on one shard, mergeable with the other shards' (bucket counts add up, stats
/// combine), then rendered the way Elasticsearch renders the final result.
/// </summary>
internal sealed class AggregationPartial(AggregationSpec spec, string? fieldType)
{
    public AggregationSpec Spec { get; } = spec;

    /// <summary>The mapped type of the field (null when unmapped in this index).</summary>
    public string? FieldType { get; private set; } = fieldType;

    public Dictionary<object, long> Buckets { get; } = [];

    public long Count { get; private set; }

    public double Sum { get; private set; }

    public double Min { get; private set; } = double.PositiveInfinity;

    public double Max { get; private set; } = double.NegativeInfinity;

    /// <summary>A partial as another node computed it (sent over the transport), ready to merge.</summary>
    public static AggregationPartial Restore(AggregationSpec spec, string? fieldType, IEnumerable<KeyValuePair<object, long>> buckets, long count, double sum, double min, double max)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        var partial = new AggregationPartial(spec, fieldType) { Count = count, Sum = sum, Min = min, Max = max };
        foreach (var (key, value) in buckets)
        {
            partial.Buckets[key] = value;
        }

        return partial;
    }

    public void AddValue(double value)
    {
        Count++;
        Sum += value;
        Min = Math.Min(Min, value);
        Max = Math.Max(Max, value);
    }

    public void AddBucket(object key, long count)
    {
        Buckets[key] = Buckets.GetValueOrDefault(key) + count;
        Count += count;
    }

    public void Merge(AggregationPartial other)
    {
        ArgumentNullException.ThrowIfNull(other);
        FieldType ??= other.FieldType;
        foreach (var (key, count) in other.Buckets)
        {
            Buckets[key] = Buckets.GetValueOrDefault(key) + count;
        }

        if (other.Count > 0)
        {
            Count += other.Count;
            Sum += other.Sum;
            Min = Math.Min(Min, other.Min);
            Max = Math.Max(Max, other.Max);
        }
    }

    public JsonObject ToJson()
    {
        var isDate = FieldType == FieldTypes.Date;
        switch (Spec.Kind)
        {
            case AggregationKind.Terms:
                var ordered = Spec.OrderByKey
                    ? (Spec.OrderByKeyAscending ? Buckets.OrderBy(b => b.Key, KeyComparer.Instance) : Buckets.OrderByDescending(b => b.Key, KeyComparer.Instance))
                    : Buckets.OrderByDescending(b => b.Value).ThenBy(b => b.Key, KeyComparer.Instance);
                var top = ordered.Take(Spec.Size).ToList();
                var buckets = new JsonArray();
                foreach (var (key, count) in top)
                {
                    var bucket = new JsonObject();
                    if (FieldType == FieldTypes.Boolean)
                    {
                        bucket["key"] = (string)key == "true" ? 1 : 0;
                        bucket["key_as_string"] = (string)key;
                    }
                    else
                    {
                        bucket["key"] = JsonValue.Create(key);
                        if (isDate)
                        {
                            bucket["key_as_string"] = DateFormats.Format((long)key);
                        }
                    }

                    bucket["doc_count"] = count;
                    buckets.Add(bucket);
                }

                return new JsonObject
                {
                    ["doc_count_error_upper_bound"] = 0,
                    ["sum_other_doc_count"] = Buckets.Values.Sum() - top.Sum(b => b.Value),
                    ["buckets"] = buckets,
                };
            case AggregationKind.ValueCount:
                return new JsonObject { ["value"] = Count };
            case AggregationKind.Sum:
                return Value(Sum, isDate);
            case AggregationKind.Avg:
                return Count == 0 ? new JsonObject { ["value"] = null } : Value(Sum / Count, isDate);
            case AggregationKind.Min:
                return Count == 0 ? new JsonObject { ["value"] = null } : Value(Min, isDate);
            case AggregationKind.Max:
                return Count == 0 ? new JsonObject { ["value"] = null } : Value(Max, isDate);
            default:
                return new JsonObject
                {
                    ["count"] = Count,
                    ["min"] = Count == 0 ? null : Min,
                    ["max"] = Count == 0 ? null : Max,
                    ["avg"] = Count == 0 ? null : Sum / Count,
                    ["sum"] = Sum,
                };
        }
    }

    private static JsonObject Value(double value, bool isDate)
    {
        var json = new JsonObject { ["value"] = value };
        if (isDate)
        {
            json["value_as_string"] = DateFormats.Format((long)value);
        }

        return json;
    }

    private sealed class KeyComparer : IComparer<object>
    {
        public static KeyComparer Instance { get; } = new();

        public int Compare(object? x, object? y) => (x, y) switch
        {
            (long a, long b) => a.CompareTo(b),
            (double a, double b) => a.CompareTo(b),
            _ => string.CompareOrdinal(Convert.ToString(x, CultureInfo.InvariantCulture), Convert.ToString(y, CultureInfo.InvariantCulture)),
        };
    }
}
