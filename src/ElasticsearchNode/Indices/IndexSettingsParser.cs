using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using Cloud.ElasticsearchNode.Errors;

namespace Cloud.ElasticsearchNode.Indices;

/// <summary>
/// Index settings in any of the forms clients send (<c>{"number_of_shards": 3}</c>,
/// <c>{"index": {"number_of_shards": "3"}}</c>, <c>{"index.number_of_shards": 3}</c>) flattened to <c>index.*</c> keys.
/// </summary>
internal static class IndexSettingsParser
{
    public static ImmutableSortedDictionary<string, string> Flatten(JsonNode? settings)
    {
        var flat = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        if (settings is null)
        {
            return flat.ToImmutable();
        }

        if (settings is not JsonObject root)
        {
            throw ElasticsearchException.IllegalArgument("settings must be an object");
        }

        void Walk(JsonObject node, string prefix)
        {
            foreach (var (key, value) in node)
            {
                var path = prefix + key;
                if (value is JsonObject child)
                {
                    Walk(child, path + ".");
                }
                else if (value is not null)
                {
                    flat[path.StartsWith("index.", StringComparison.Ordinal) ? path : "index." + path] = value is JsonValue v && v.TryGetValue<string>(out var text) ? text : value.ToJsonString();
                }
            }
        }

        Walk(root, "");
        return flat.ToImmutable();
    }

    public static int Int(ImmutableSortedDictionary<string, string> settings, string key, int fallback)
    {
        if (!settings.TryGetValue(key, out var value))
        {
            return fallback;
        }

        return int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw ElasticsearchException.IllegalArgument($"Failed to parse value [{value}] for setting [{key}]");
    }
}
