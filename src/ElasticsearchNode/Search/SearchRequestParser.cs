using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using Cloud.ElasticsearchNode.Errors;

namespace Cloud.ElasticsearchNode.Search;

/// <summary>Reads a search body (and the URL parameters that may stand in for it) into a <see cref="SearchRequest"/>.</summary>
internal static class SearchRequestParser
{
    private const int MaxResultWindow = 10_000;

    public static SearchRequest Parse(JsonObject? body, Func<string, string?> parameter)
    {
        var request = new SearchRequest();
        if (body is not null)
        {
            foreach (var (key, value) in body)
            {
                request = key switch
                {
                    "query" => request with { Query = value as JsonObject ?? throw ElasticsearchException.Parsing("[query] must be an object") },
                    "from" => request with { From = Int(value, key) },
                    "size" => request with { Size = Int(value, key) },
                    "sort" => request with { Sort = ParseSort(value) },
                    "_source" => request with { Source = SourceFilter.Parse(value?.DeepClone()) },
                    "track_total_hits" => request with { TrackTotalHits = TrackTotalHits(value) },
                    "aggs" or "aggregations" => request with { Aggregations = ParseAggregations(value) },
                    "search_after" => request with { SearchAfter = value as JsonArray ?? throw ElasticsearchException.Parsing("[search_after] must be an array") },
                    "min_score" => request with { MinScore = value?.GetValue<double>() },
                    "version" => request with { Version = value?.GetValue<bool>() ?? false },
                    "pit" => request with { Pit = ParsePit(value) },
                    "seq_no_primary_term" => request with { SeqNoPrimaryTerm = value?.GetValue<bool>() ?? false },
                    "timeout" or "stats" or "explain" or "highlight" or "stored_fields" or "docvalue_fields" or "fields" or "terminate_after" or "profile" or "track_scores" or "indices_boost" or "collapse" or "rescore" or "suggest" or "post_filter" or "ext" or "runtime_mappings" or "script_fields" => request,
                    _ => throw ElasticsearchException.Parsing($"Unknown key for a {Kind(value)} in [{key}]."),
                };
            }
        }

        if (parameter("q") is { } q)
        {
            request = request with { Query = new JsonObject { ["query_string"] = new JsonObject { ["query"] = q, ["default_operator"] = parameter("default_operator") ?? "OR" } } };
        }

        if (parameter("from") is { } from)
        {
            request = request with { From = int.Parse(from, CultureInfo.InvariantCulture) };
        }

        if (parameter("size") is { } size)
        {
            request = request with { Size = int.Parse(size, CultureInfo.InvariantCulture) };
        }

        if (parameter("sort") is { } sort)
        {
            request = request with { Sort = [.. sort.Split(',').Select(s => s.Split(':')).Select(p => new SortSpec(p[0], p.Length > 1 ? p[1] == "desc" : p[0] == SortSpec.Score))] };
        }

        if (parameter("track_total_hits") is { } track)
        {
            request = request with { TrackTotalHits = TrackTotalHits(JsonNode.Parse(track is "true" or "false" ? track : track)) };
        }

        if (parameter("_source") is not null || parameter("_source_includes") is not null || parameter("_source_excludes") is not null)
        {
            request = request with { Source = SourceFilter.FromParameters(parameter("_source"), parameter("_source_includes"), parameter("_source_excludes")) };
        }

        if (parameter("preference") is { } preference)
        {
            request = request with { Preference = preference };
        }

        if (request.From < 0 || request.Size < 0)
        {
            throw ElasticsearchException.IllegalArgument($"[{(request.From < 0 ? "from" : "size")}] parameter cannot be negative");
        }

        if (request.From + request.Size > MaxResultWindow)
        {
            throw ElasticsearchException.IllegalArgument(
                $"Result window is too large, from + size must be less than or equal to: [{MaxResultWindow}] but was [{request.From + request.Size}]. See the scroll api for a more efficient way to request large data sets.");
        }

        return request;
    }

    private static int Int(JsonNode? value, string key) =>
        value is JsonValue v && (v.TryGetValue<int>(out var number) || (v.TryGetValue<string>(out var text) && int.TryParse(text, CultureInfo.InvariantCulture, out number)))
            ? number
            : throw ElasticsearchException.Parsing($"[{key}] must be a number");

    private static int? TrackTotalHits(JsonNode? value) => value switch
    {
        JsonValue v when v.TryGetValue<bool>(out var enabled) => enabled ? int.MaxValue : null,
        JsonValue v when v.TryGetValue<int>(out var limit) => limit,
        _ => throw ElasticsearchException.Parsing("[track_total_hits] must be a boolean or a number"),
    };

    private static PitSpec ParsePit(JsonNode? value) =>
        value is JsonObject { } pit && pit["id"]?.GetValue<string>() is { Length: > 0 } id
            ? new PitSpec(id, pit["keep_alive"]?.ToString())
            : throw ElasticsearchException.Parsing("[pit] must be an object with an [id]");

    private static ImmutableArray<SortSpec> ParseSort(JsonNode? value)
    {
        var items = value switch
        {
            JsonArray array => array.ToList(),
            null => [],
            _ => [value],
        };
        var specs = ImmutableArray.CreateBuilder<SortSpec>();
        foreach (var item in items)
        {
            switch (item)
            {
                case JsonValue v:
                    var name = v.ToString();
                    specs.Add(new SortSpec(name, name == SortSpec.Score));
                    break;
                case JsonObject obj:
                    foreach (var (field, options) in obj)
                    {
                        var order = options is JsonObject o ? o["order"]?.ToString() : options?.ToString();
                        var missing = (options as JsonObject)?["missing"]?.ToString();
                        var descending = order is null ? field == SortSpec.Score : order.Equals("desc", StringComparison.OrdinalIgnoreCase);
                        if (order is not null && !order.Equals("desc", StringComparison.OrdinalIgnoreCase) && !order.Equals("asc", StringComparison.OrdinalIgnoreCase))
                        {
                            throw ElasticsearchException.IllegalArgument($"Unknown SortOrder [{order}]");
                        }

                        specs.Add(new SortSpec(field, descending, missing == "_first"));
                    }

                    break;
                default:
                    throw ElasticsearchException.Parsing("[sort] malformed");
            }
        }

        return specs.ToImmutable();
    }

    private static ImmutableArray<AggregationSpec> ParseAggregations(JsonNode? value)
    {
        if (value is not JsonObject aggregations)
        {
            throw ElasticsearchException.Parsing("[aggs] must be an object");
        }

        var specs = ImmutableArray.CreateBuilder<AggregationSpec>();
        foreach (var (name, definition) in aggregations)
        {
            if (definition is not JsonObject body)
            {
                throw ElasticsearchException.Parsing($"Expected [START_OBJECT] under [{name}], but got a [VALUE_STRING] in [{name}]");
            }

            var typed = body.Where(p => p.Key is not ("meta" or "aggs" or "aggregations")).ToList();
            if (typed.Count != 1 || typed[0].Value is not JsonObject options)
            {
                throw ElasticsearchException.Parsing($"Expected exactly one aggregation type under [{name}]");
            }

            if (body["aggs"] is not null || body["aggregations"] is not null)
            {
                throw ElasticsearchException.IllegalArgument($"sub-aggregations under [{name}] are not supported by this node");
            }

            var kind = typed[0].Key switch
            {
                "terms" => AggregationKind.Terms,
                "min" => AggregationKind.Min,
                "max" => AggregationKind.Max,
                "avg" => AggregationKind.Avg,
                "sum" => AggregationKind.Sum,
                "value_count" => AggregationKind.ValueCount,
                "stats" => AggregationKind.Stats,
                var other => throw ElasticsearchException.Parsing($"Unknown aggregation type [{other}] did you mean [terms]?"),
            };
            var field = options["field"]?.ToString() ?? throw ElasticsearchException.IllegalArgument($"Required one of fields [field, script], but none were specified. in [{name}]");
            var size = options["size"] is { } s ? Int(s, "size") : 10;
            var orderByKey = false;
            var ascending = false;
            if (options["order"] is JsonObject order && order.FirstOrDefault() is var (orderKey, direction) && orderKey is "_key" or "_term")
            {
                orderByKey = true;
                ascending = direction?.ToString() != "desc";
            }

            specs.Add(new AggregationSpec(name, kind, field, size, ascending, orderByKey));
        }

        return specs.ToImmutable();
    }

    private static string Kind(JsonNode? value) => value switch
    {
        JsonObject => "START_OBJECT",
        JsonArray => "START_ARRAY",
        _ => "VALUE_STRING",
    };
}
