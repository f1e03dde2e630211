using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using Cloud.ElasticsearchNode.Mapping;

namespace Cloud.ElasticsearchNode.Indices;

/// <summary>
/// Everything a node needs to know about an index, as one immutable value a cluster state can carry:
/// name, uuid, shard and replica counts, mappings, aliases, other settings and each shard's primary term.
/// <see cref="Version"/> grows with every change.
/// </summary>
internal sealed record IndexMetadata(
    string Name,
    string Uuid,
    int NumberOfShards,
    int NumberOfReplicas,
    TypeMapping Mappings,
    ImmutableSortedDictionary<string, AliasMetadata> Aliases,
    ImmutableSortedDictionary<string, string> Settings,
    long CreationDate,
    ImmutableArray<long> PrimaryTerms,
    long Version)
{
    public const string RefreshIntervalSetting = "index.refresh_interval";

    /// <summary>Elasticsearch's <c>index.refresh_interval</c>: 1 s by default, null when refresh is off (<c>-1</c>).</summary>
    public TimeSpan? RefreshInterval => Settings.TryGetValue(RefreshIntervalSetting, out var value)
        ? TimeValue.ParseOrNull(value)
        : TimeSpan.FromSeconds(1);

    public long PrimaryTerm(int shard) => PrimaryTerms.IsDefaultOrEmpty ? 1 : PrimaryTerms[shard];

    /// <summary>The settings as <c>GET /index/_settings</c> shows them (flat <c>index.*</c> keys with string values).</summary>
    public ImmutableSortedDictionary<string, string> AllSettings(string providedName) => Settings
        .SetItem("index.number_of_shards", NumberOfShards.ToString(CultureInfo.InvariantCulture))
        .SetItem("index.number_of_replicas", NumberOfReplicas.ToString(CultureInfo.InvariantCulture))
        .SetItem("index.uuid", Uuid)
        .SetItem("index.provided_name", providedName)
        .SetItem("index.creation_date", CreationDate.ToString(CultureInfo.InvariantCulture))
        .SetItem("index.version.created", "8500003");

    public JsonObject ToJson()
    {
        var aliases = new JsonArray();
        foreach (var alias in Aliases.Values)
        {
            aliases.Add(new JsonObject
            {
                ["name"] = alias.Name,
                ["filter"] = alias.FilterJson,
                ["is_write_index"] = alias.IsWriteIndex,
                ["routing"] = alias.Routing,
            });
        }

        var settings = new JsonObject();
        foreach (var (key, value) in Settings)
        {
            settings[key] = value;
        }

        return new JsonObject
        {
            ["name"] = Name,
            ["uuid"] = Uuid,
            ["number_of_shards"] = NumberOfShards,
            ["number_of_replicas"] = NumberOfReplicas,
            ["mappings"] = Mappings.ToJson(),
            ["aliases"] = aliases,
            ["settings"] = settings,
            ["creation_date"] = CreationDate,
            ["primary_terms"] = new JsonArray([.. PrimaryTerms.Select(t => (JsonNode?)t)]),
            ["version"] = Version,
        };
    }

    public static IndexMetadata FromJson(JsonObject json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var aliases = ImmutableSortedDictionary.CreateBuilder<string, AliasMetadata>(StringComparer.Ordinal);
        foreach (var alias in json["aliases"]?.AsArray() ?? [])
        {
            var name = alias!["name"]!.GetValue<string>();
            aliases[name] = new AliasMetadata(name, alias["filter"]?.GetValue<string>(), alias["is_write_index"]?.GetValue<bool>(), alias["routing"]?.GetValue<string>());
        }

        var settings = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in json["settings"]?.AsObject() ?? [])
        {
            settings[key] = value!.GetValue<string>();
        }

        var shards = json["number_of_shards"]!.GetValue<int>();
        var terms = json["primary_terms"]?.AsArray().Select(t => t!.GetValue<long>()).ToImmutableArray() ?? [];
        return new IndexMetadata(
            json["name"]!.GetValue<string>(),
            json["uuid"]!.GetValue<string>(),
            shards,
            json["number_of_replicas"]!.GetValue<int>(),
            TypeMapping.Parse(json["mappings"]),
            aliases.ToImmutable(),
            settings.ToImmutable(),
            json["creation_date"]!.GetValue<long>(),
            terms.Length == shards ? terms : [.. Enumerable.Repeat(1L, shards)],
            json["version"]?.GetValue<long>() ?? 1);
    }
}
