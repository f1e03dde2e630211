using System.Collections.Immutable;
using System.Text.Json;
using Cloud.Allocator.Coordination;
using Cloud.Shared.Coordination;
using Cloud.Shared.Serialization;
using Cloud.ZooKeeper;

namespace Cloud.Allocator.Ports;

/// <summary>
/// Port reservations in ZooKeeper, one JSON map <c>instance_id → {http, transport}</c> per allocator under
/// its machine's node, so they survive restarts and allocators sharing a machine keep out of each
/// other's ports. A pass reads only the reservations of its own machine.
/// </summary>
internal static class PortReservationStore
{
    public static async Task<PortReservations> ReadAsync(ZooKeeperClient client, string machineKey, string allocatorId, CancellationToken cancellationToken)
    {
        var own = ImmutableSortedDictionary.Create<string, InstancePorts>(StringComparer.Ordinal);
        var version = -1;
        var others = ImmutableDictionary.CreateBuilder<int, string>();
        foreach (var id in await ZooKeeperNodes.ChildrenOrEmptyAsync(client, CloudPaths.PortsOn(machineKey), null, cancellationToken))
        {
            var node = await ZooKeeperNodes.TryGetDataAsync(client, CloudPaths.PortsOf(machineKey, id), null, cancellationToken);
            if (node is null)
            {
                continue;
            }

            var map = Parse(node.Data);
            if (id == allocatorId)
            {
                own = map;
                version = node.Stat.Version;
            }
            else
            {
                foreach (var port in map.Values.SelectMany(p => new[] { p.Http, p.Transport }))
                {
                    if (!others.TryGetValue(port, out var holder) || string.CompareOrdinal(id, holder) < 0)
                    {
                        others[port] = id;
                    }
                }
            }
        }

        return new PortReservations(own, version, others.ToImmutable());
    }

    /// <summary>Stores the new map if nobody changed it since <paramref name="expectedVersion"/>; <see cref="BadVersionException"/> otherwise.</summary>
    public static async Task WriteAsync(
        ZooKeeperClient client, string machineKey, string allocatorId, ImmutableSortedDictionary<string, InstancePorts> ports, int expectedVersion, CancellationToken cancellationToken)
    {
        var path = CloudPaths.PortsOf(machineKey, allocatorId);
        var data = JsonSerializer.SerializeToUtf8Bytes(ports, PortsJsonContext.CloudNamed.ImmutableSortedDictionaryStringInstancePorts);
        if (expectedVersion < 0)
        {
            await ZooKeeperNodes.CreateAsync(client, path, data, CreateMode.Persistent, cancellationToken);
        }
        else
        {
            await client.SetDataAsync(path, data, expectedVersion, cancellationToken);
        }
    }

    private static ImmutableSortedDictionary<string, InstancePorts> Parse(byte[] data)
    {
        if (data.Length == 0)
        {
            return ImmutableSortedDictionary.Create<string, InstancePorts>(StringComparer.Ordinal);
        }

        try
        {
            return CloudJson.Deserialize(data, PortsJsonContext.CloudNamed.DictionaryStringInstancePorts).ToImmutableSortedDictionary(StringComparer.Ordinal);
        }
        catch (JsonException)
        {
            return ImmutableSortedDictionary.Create<string, InstancePorts>(StringComparer.Ordinal);
        }
    }
}
