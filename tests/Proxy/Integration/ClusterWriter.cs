using Cloud.Shared.Allocators;
using Cloud.Shared.Coordination;
using Cloud.Shared.Routing;
using Cloud.Shared.Serialization;
using Cloud.ZooKeeper;

namespace Cloud.Proxy.Tests.Integration;

/// <summary>Writes the nodes the allocators and the constructor would write, as they would.</summary>
internal sealed class ClusterWriter(ZooKeeperClient client)
{
    public static InstanceStatus Instance(string clusterId, string name, BackendStub backend, string allocatorId = "alloc-1", string zone = "zone-1", bool reachable = true) =>
        Instance(clusterId, name, backend.Port, allocatorId, zone, reachable);

    public static InstanceStatus Instance(string clusterId, string name, int httpPort, string allocatorId = "alloc-1", string zone = "zone-1", bool reachable = true) => new()
    {
        ClusterId = clusterId,
        InstanceName = name,
        AllocatorId = allocatorId,
        Zone = zone,
        Host = "127.0.0.1",
        HttpPort = httpPort,
        ContainerState = "running",
        Probe = new NodeProbe { Reachable = reachable, ProbedAt = DateTimeOffset.UtcNow },
        UpdatedAt = DateTimeOffset.UtcNow,
    };

    public async Task RegisterAllocatorAsync(string allocatorId, string zone = "zone-1")
    {
        var registration = new AllocatorRegistration
        {
            AllocatorId = allocatorId,
            Host = "127.0.0.1",
            Zone = zone,
            Capacity = new AllocatorCapacity(new MemoryCapacity(8192, 0)),
        };
        await client.CreateRecursiveAsync(CloudPaths.Allocators);
        await client.CreateAsync(CloudPaths.Allocator(allocatorId), CloudJson.Serialize(registration), CreateMode.Ephemeral);
    }

    public Task UnregisterAllocatorAsync(string allocatorId) => client.DeleteAsync(CloudPaths.Allocator(allocatorId));

    public Task WriteInstanceAsync(InstanceStatus status) => UpsertAsync(CloudPaths.Instance(status.ClusterId, status.InstanceName), CloudJson.Serialize(status));

    public Task WriteRoutingAsync(RoutingTable table) => UpsertAsync(CloudPaths.RoutingOf(table.ClusterId), CloudJson.Serialize(table));

    public Task WriteOverrideAsync(string clusterId, string overrideId, RoutingOverride routingOverride) =>
        UpsertAsync(CloudPaths.Override(clusterId, overrideId), CloudJson.Serialize(routingOverride));

    public Task DeleteAsync(string path) => client.DeleteAsync(path);

    public Task UpsertAsync(string path, byte[] data) => client.UpsertAsync(path, data);
}
