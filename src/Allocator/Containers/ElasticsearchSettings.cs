using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;

namespace Cloud.Allocator.Containers;

/// <summary>
/// Elasticsearch settings as <c>KEY=value</c> environment entries, the way the official image takes them,
/// and the plan's <c>user_settings</c> flattened into the same form.
/// </summary>
internal static class ElasticsearchSettings
{
    public const string ClusterName = "cluster.name";
    public const string NodeName = "node.name";
    public const string NodeRoles = "node.roles";
    public const string NodeZone = "node.attr.zone";
    public const string NetworkHost = "network.host";
    public const string PublishHost = "network.publish_host";
    public const string HttpPort = "http.port";
    public const string TransportPort = "transport.port";
    public const string HttpPublishPort = "http.publish_port";
    public const string TransportPublishPort = "transport.publish_port";
    public const string PathData = "path.data";
    public const string PathRepo = "path.repo";
    public const string SeedProviders = "discovery.seed_providers";
    public const string SeedHosts = "discovery.seed_hosts";
    public const string InitialMasterNodes = "cluster.initial_master_nodes";
    public const string JavaOptions = "ES_JAVA_OPTS";

    /// <summary>Settings the platform owns; a user setting of the same name is ignored.</summary>
    public static FrozenSet<string> Reserved { get; } = new[]
    {
        ClusterName, NodeName, NodeRoles, NodeZone, NetworkHost, PublishHost, HttpPort, TransportPort,
        HttpPublishPort, TransportPublishPort, PathData, PathRepo, SeedProviders, SeedHosts, InitialMasterNodes, JavaOptions,
    }.ToFrozenSet(StringComparer.Ordinal);

    public static string Entry(string key, string value) => key + "=" + value;

    public static string Entry(string key, long value) => key + "=" + value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The value of <paramref name="key"/> in <c>KEY=value</c> entries, or null.</summary>
    public static string? Find(IEnumerable<string>? env, string key)
    {
        var prefix = key + "=";
        return env?.FirstOrDefault(e => e.StartsWith(prefix, StringComparison.Ordinal))?[prefix.Length..];
    }

    /// <summary>
    /// Flattens user settings (nested objects become dotted keys, arrays comma lists), sorted by key,
    /// without the platform's own settings.
    /// </summary>
    public static ImmutableArray<KeyValuePair<string, string>> FlattenUserSettings(IReadOnlyDictionary<string, JsonElement> userSettings)
    {
        ArgumentNullException.ThrowIfNull(userSettings);
        var flat = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in userSettings)
        {
            Flatten(key, value, flat);
        }

        return [.. flat.Where(kv => !Reserved.Contains(kv.Key))];
    }

    /// <summary>The user settings dropped because the platform owns them.</summary>
    public static ImmutableArray<string> IgnoredUserSettings(IReadOnlyDictionary<string, JsonElement> userSettings)
    {
        ArgumentNullException.ThrowIfNull(userSettings);
        var flat = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in userSettings)
        {
            Flatten(key, value, flat);
        }

        return [.. flat.Keys.Where(Reserved.Contains)];
    }

    private static void Flatten(string key, JsonElement value, SortedDictionary<string, string> into)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in value.EnumerateObject())
                {
                    Flatten(key + "." + property.Name, property.Value, into);
                }

                break;
            case JsonValueKind.Array:
                into[key] = string.Join(',', value.EnumerateArray().Select(Scalar));
                break;
            case JsonValueKind.Null:
            case JsonValueKind.Undefined:
                break;
            default:
                into[key] = Scalar(value);
                break;
        }
    }

    private static string Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? string.Empty,
        _ => value.GetRawText(),
    };
}
