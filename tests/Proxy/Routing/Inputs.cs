using System.Collections.Immutable;
using Cloud.Proxy.Routing;
using Cloud.Shared.Allocators;
using Cloud.Shared.Containers;
using Cloud.Shared.Routing;

namespace Cloud.Proxy.Tests.Routing;

/// <summary>Builders for routing inputs in unit tests.</summary>
internal static class Inputs
{
    public static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    public static InstanceStatus Instance(string name, string allocator = "a1", string zone = "zone-1", string state = ContainerStates.Running, bool reachable = true, int port = 9201, string cluster = "c1") => new()
    {
        ClusterId = cluster,
        InstanceName = name,
        AllocatorId = allocator,
        Zone = zone,
        Host = "127.0.0.1",
        HttpPort = port,
        ContainerState = state,
        Probe = new NodeProbe { Reachable = reachable },
    };

    public static ClusterInputs Cluster(string id, params InstanceStatus[] instances) =>
        ClusterInputs.Empty(id) with { Instances = instances.ToImmutableDictionary(i => i.InstanceName, StringComparer.Ordinal) };

    public static RoutingOverride Override(string action, string[]? instances = null, string? target = null, DateTimeOffset? expires = null, DateTimeOffset? created = null) => new()
    {
        Action = action,
        Instances = [.. instances ?? []],
        TargetClusterId = target,
        Reason = $"incident: {action}",
        Author = "oncall",
        CreatedAt = created ?? Now.AddMinutes(-1),
        ExpiresAt = expires,
    };

    public static ClusterInputs With(this ClusterInputs inputs, string id, RoutingOverride routingOverride) =>
        inputs with { Overrides = inputs.Overrides.SetItem(id, routingOverride) };

    public static IReadOnlySet<string> Live(params string[] allocators) => allocators.ToHashSet(StringComparer.Ordinal);
}
