using System.Collections.Immutable;
using System.Globalization;
using Cloud.ElasticsearchNode.Cluster.State;

namespace Cloud.ElasticsearchNode.Cluster.Allocation;

/// <summary>The cluster settings allocation obeys, read once per reroute from the effective cluster settings.</summary>
internal sealed record AllocationSettings(
    ImmutableArray<string> AwarenessAttributes,
    string Enable,
    string RebalanceEnable,
    int NodeConcurrentRecoveries,
    int ClusterConcurrentRebalance,
    NodeFilters Filters)
{
    public const string AwarenessKey = "cluster.routing.allocation.awareness.attributes";
    public const string EnableKey = "cluster.routing.allocation.enable";
    public const string RebalanceEnableKey = "cluster.routing.rebalance.enable";
    public const string ConcurrentRecoveriesKey = "cluster.routing.allocation.node_concurrent_recoveries";
    public const string ConcurrentRebalanceKey = "cluster.routing.allocation.cluster_concurrent_rebalance";
    public const string FilterPrefix = "cluster.routing.allocation.";

    public static ImmutableArray<string> EnableValues { get; } = ["all", "primaries", "new_primaries", "none"];

    public static AllocationSettings From(ClusterMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var awareness = metadata.Setting(AwarenessKey) ?? "zone";
        return new AllocationSettings(
            [.. awareness.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
            (metadata.Setting(EnableKey) ?? "all").ToLowerInvariant(),
            (metadata.Setting(RebalanceEnableKey) ?? "all").ToLowerInvariant(),
            int.TryParse(metadata.Setting(ConcurrentRecoveriesKey), NumberStyles.Integer, CultureInfo.InvariantCulture, out var recoveries) && recoveries > 0 ? recoveries : 2,
            int.TryParse(metadata.Setting(ConcurrentRebalanceKey), NumberStyles.Integer, CultureInfo.InvariantCulture, out var rebalance) && rebalance >= 0 ? rebalance : 2,
            NodeFilters.From(FilterPrefix, key => metadata.Setting(key), metadata.PersistentSettings.Keys.Concat(metadata.TransientSettings.Keys)));
    }

    /// <summary>Null when the value is valid for the allocation setting <paramref name="key"/>, else why not (for PUT _cluster/settings).</summary>
    public static string? Validate(string key, string? value)
    {
        // JSON null arrives flattened as "": it resets the setting to its default, as in Elasticsearch.
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        return key switch
        {
            EnableKey when !EnableValues.Contains(value.ToLowerInvariant()) => $"illegal value [{value}] for [{key}]: expected one of [all, primaries, new_primaries, none]",
            RebalanceEnableKey when !new[] { "all", "primaries", "replicas", "none" }.Contains(value.ToLowerInvariant()) => $"illegal value [{value}] for [{key}]: expected one of [all, primaries, replicas, none]",
            ConcurrentRecoveriesKey or ConcurrentRebalanceKey when !int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) || n < 0 => $"illegal value [{value}] for [{key}]: expected a non-negative integer",
            _ => null,
        };
    }
}
