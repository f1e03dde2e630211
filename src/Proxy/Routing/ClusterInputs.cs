using System.Collections.Immutable;
using Cloud.Shared.Allocators;
using Cloud.Shared.Routing;

namespace Cloud.Proxy.Routing;

/// <summary>
/// Everything ZooKeeper says about one cluster, as last read: its instances' status nodes, the
/// constructor's routing node (null until written) and the on-call overrides by id.
/// </summary>
internal sealed record ClusterInputs(
    string ClusterId,
    ImmutableDictionary<string, InstanceStatus> Instances,
    RoutingTable? Table,
    ImmutableDictionary<string, RoutingOverride> Overrides)
{
    public static ClusterInputs Empty(string clusterId) => new(
        clusterId,
        ImmutableDictionary<string, InstanceStatus>.Empty.WithComparers(StringComparer.Ordinal),
        null,
        ImmutableDictionary<string, RoutingOverride>.Empty.WithComparers(StringComparer.Ordinal));

    /// <summary>
    /// A cluster the proxy knows of: anything about it is in ZooKeeper. An override alone is enough, so
    /// on-call can block or redirect a cluster id whose instances are gone.
    /// </summary>
    public bool IsKnown => !IsEmpty;

    public bool IsEmpty => Instances.IsEmpty && Table is null && Overrides.IsEmpty;
}
