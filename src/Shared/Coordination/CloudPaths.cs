namespace Cloud.Shared.Coordination;

/// <summary>
/// The ZooKeeper layout every role shares. <c>/cloud/runners</c>, <c>/cloud/allocators</c>,
/// <c>/cloud/containers</c> and <c>/cloud/inspect</c> are public contract (DESIGN.md); keep them exactly.
/// </summary>
public static class CloudPaths
{
    public const string Root = "/cloud";
    public const string Runners = Root + "/runners";
    public const string Allocators = Root + "/allocators";
    public const string AllocatorsMeta = Root + "/allocators-meta";
    public const string AllocatorsWork = Root + "/allocators-work";
    public const string AllocatorsPorts = Root + "/allocators-ports";
    public const string AllocatorsPurge = Root + "/allocators-purge";
    public const string Containers = Root + "/containers";
    public const string Inspect = Root + "/inspect";
    public const string Instances = Root + "/instances";
    public const string Clusters = Root + "/clusters";
    public const string Routing = Root + "/routing";
    public const string RoutingOverrides = Root + "/routing-overrides";
    public const string ConstructorRoot = Root + "/constructor";
    public const string ConstructorLeader = ConstructorRoot + "/leader";
    public const string Proxies = Root + "/proxies";
    public const string Audit = Root + "/audit";

    public static string Runner(string hostId) => Join(Runners, hostId);

    public static string ContainersOf(string hostId) => Join(Containers, hostId);

    public static string Container(string hostId, string containerName) => Join(Containers, hostId, containerName);

    public static string InspectOf(string hostId) => Join(Inspect, hostId);

    public static string InspectedContainer(string hostId, string containerName) => Join(Inspect, hostId, containerName);

    public static string Allocator(string allocatorId) => Join(Allocators, allocatorId);

    public static string AllocatorMeta(string allocatorId) => Join(AllocatorsMeta, allocatorId);

    public static string WorkOf(string allocatorId) => Join(AllocatorsWork, allocatorId);

    public static string Assignment(string allocatorId, string instanceId) => Join(AllocatorsWork, allocatorId, instanceId);

    /// <summary>Data purge requests for one allocator: the constructor writes them when a cluster is deleted, the allocator acts and removes them.</summary>
    public static string PurgesOf(string allocatorId) => Join(AllocatorsPurge, allocatorId);

    public static string Purge(string allocatorId, string clusterId) => Join(AllocatorsPurge, allocatorId, clusterId);

    public static string InstancesOf(string clusterId) => Join(Instances, clusterId);

    public static string Instance(string clusterId, string instanceName) => Join(Instances, clusterId, instanceName);

    public static string Cluster(string clusterId) => Join(Clusters, clusterId);

    public static string ClusterPlan(string clusterId) => Join(Clusters, clusterId, "plan");

    public static string RoutingOf(string clusterId) => Join(Routing, clusterId);

    public static string OverridesOf(string clusterId) => Join(RoutingOverrides, clusterId);

    public static string Override(string clusterId, string overrideId) => Join(RoutingOverrides, clusterId, overrideId);

    public static string Proxy(string proxyId) => Join(Proxies, proxyId);

    /// <summary>Port reservations of every allocator publishing on one machine (see <see cref="MachineKey"/>).</summary>
    public static string PortsOn(string machineKey) => Join(AllocatorsPorts, machineKey);

    public static string PortsOf(string machineKey, string allocatorId) => Join(AllocatorsPorts, machineKey, allocatorId);

    public static string Join(params string[] segments)
    {
        foreach (var segment in segments.Skip(1))
        {
            NodeNames.EnsureValid(segment);
        }

        return string.Join('/', segments);
    }
}
