using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Cloud.ElasticsearchNode.Indices;

namespace Cloud.ElasticsearchNode.Search;

/// <summary>
/// <c>_source</c> filtering: off entirely, or include/exclude path patterns (wildcards allowed, a
/// pattern matches an object and everything under it).
/// </summary>
internal sealed record SourceFilter(bool Enabled, ImmutableArray<string> Includes, ImmutableArray<string> Excludes)
{
    public static SourceFilter All { get; } = new(true, [], []);

    public static SourceFilter None { get; } = new(false, [], []);

    public bool IsIdentity => Enabled && Includes.IsEmpty && Excludes.IsEmpty;

    public static SourceFilter Parse(JsonNode? node) => node switch
    {
        null => All,
        JsonValue value when value.TryGetValue<bool>(out var enabled) => enabled ? All : None,
        JsonValue value => new SourceFilter(true, [value.ToString()], []),
        JsonArray array => new SourceFilter(true, [.. array.Select(n => n!.ToString())], []),
        JsonObject obj => new SourceFilter(true, Patterns(obj["includes"] ?? obj["include"]), Patterns(obj["excludes"] ?? obj["exclude"])),
        _ => All,
    };

    /// <summary>From the <c>_source</c>, <c>_source_includes</c> and <c>_source_excludes</c> URL parameters.</summary>
    public static SourceFilter FromParameters(string? source, string? includes, string? excludes)
    {
        if (source is "false")
        {
            return None;
        }

        var include = source is null or "true" ? includes : source;
        return new SourceFilter(true, Split(include), Split(excludes));
    }

    public JsonNode? Apply(JsonNode? source)
    {
        if (!Enabled || source is not JsonObject obj)
        {
            return Enabled ? source : null;
        }

        return IsIdentity ? source : Filter(obj, "");
    }

    private JsonObject Filter(JsonObject obj, string prefix)
    {
        var result = new JsonObject();
        foreach (var (key, value) in obj)
        {
            var path = prefix + key;
            if (Excludes.Any(p => IndexResolver.Matches(p, path)))
            {
                continue;
            }

            var included = Includes.IsEmpty || Includes.Any(p => IndexResolver.Matches(p, path) || IndexResolver.Matches(p + ".*", path));
            if (included && Excludes.IsEmpty)
            {
                result[key] = value?.DeepClone();
            }
            else if (value is JsonObject child && (included || Includes.Any(p => p.StartsWith(path + ".", StringComparison.Ordinal) || p.StartsWith('*'))))
            {
                var filtered = Filter(child, path + ".");
                if (filtered.Count > 0 || included)
                {
                    result[key] = filtered;
                }
            }
            else if (included)
            {
                result[key] = value?.DeepClone();
            }
        }

        return result;
    }

    private static ImmutableArray<string> Patterns(JsonNode? node) => node switch
    {
        null => [],
        JsonArray array => [.. array.Select(n => n!.ToString())],
        _ => [node.ToString()],
    };

    private static ImmutableArray<string> Split(string? value) =>
        string.IsNullOrEmpty(value) ? [] : [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
