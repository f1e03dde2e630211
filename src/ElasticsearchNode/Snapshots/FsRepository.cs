using System.Collections.Immutable;
using System.Text.Json.Nodes;

namespace Cloud.ElasticsearchNode.Snapshots;

/// <summary>A registered <c>fs</c> repository: its name, resolved location and the settings it was given.</summary>
internal sealed record FsRepository(string Name, string Location, ImmutableSortedDictionary<string, string> Settings)
{
    public JsonObject ToJson()
    {
        var settings = new JsonObject();
        foreach (var (key, value) in Settings)
        {
            settings[key] = value;
        }

        return new JsonObject { ["type"] = "fs", ["settings"] = settings, ["resolved_location"] = Location };
    }

    public JsonObject ToResponseJson()
    {
        var json = ToJson();
        json.Remove("resolved_location");
        return json;
    }

    public static FsRepository FromJson(string name, JsonObject json) => new(
        name,
        json["resolved_location"]!.GetValue<string>(),
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal,
            (json["settings"] as JsonObject ?? []).Select(p => KeyValuePair.Create(p.Key, p.Value?.ToString() ?? string.Empty))));
}
