using System.Collections.Immutable;
using System.Text.Json;
using Cloud.Shared.Allocators;
using Cloud.Shared.Coordination;
using Cloud.Shared.Hosting;
using Cloud.Shared.Routing;
using Cloud.Shared.Serialization;
using Cloud.ZooKeeper;

namespace Cloud.Constructor.Infrastructure;

/// <summary>Reads what the agents publish: allocators, instance statuses, runners, proxies, routing.</summary>
public sealed class PlatformReader(ZooKeeperConnection connection)
{
    public async Task<ZooKeeperClient> ClientAsync(CancellationToken cancellationToken) => await connection.GetClientAsync(cancellationToken);

    /// <summary>
    /// Every allocator known by registration, meta or assignments. Used memory is the larger of what the
    /// allocator reports and what the constructor has assigned to it, so an assignment not yet picked up
    /// still counts.
    /// </summary>
    public async Task<ImmutableArray<AllocatorView>> ReadAllocatorsAsync(CancellationToken cancellationToken)
    {
        var client = await ClientAsync(cancellationToken);
        var registrations = (await ZooKeeperReads.ChildrenWithDataAsync(client, CloudPaths.Allocators, cancellationToken))
            .Select(c => TryRead<AllocatorRegistration>(c.Data)).OfType<AllocatorRegistration>()
            .ToDictionary(r => r.AllocatorId, StringComparer.Ordinal);
        var metas = (await ZooKeeperReads.ChildrenWithDataAsync(client, CloudPaths.AllocatorsMeta, cancellationToken))
            .ToDictionary(c => c.Name, c => TryRead<AllocatorMeta>(c.Data) ?? new AllocatorMeta(), StringComparer.Ordinal);
        var workers = await ZooKeeperReads.ChildrenAsync(client, CloudPaths.AllocatorsWork, cancellationToken);
        var work = new Dictionary<string, IReadOnlyList<InstanceAssignment>>(StringComparer.Ordinal);
        foreach (var allocatorId in workers)
        {
            work[allocatorId] = [.. (await ZooKeeperReads.ChildrenWithDataAsync(client, CloudPaths.WorkOf(allocatorId), cancellationToken))
                .Select(c => TryRead<InstanceAssignment>(c.Data)).OfType<InstanceAssignment>()];
        }

        var ids = registrations.Keys.Concat(metas.Keys).Concat(work.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        return [.. ids.Select(id =>
        {
            registrations.TryGetValue(id, out var registration);
            var meta = metas.GetValueOrDefault(id) ?? new AllocatorMeta();
            var assigned = work.GetValueOrDefault(id) ?? [];
            var assignedMb = assigned.Sum(a => a.MemoryMb);
            var tags = (registration?.Tags ?? ImmutableSortedDictionary<string, string>.Empty).SetItems(meta.Tags);
            return new AllocatorView
            {
                AllocatorId = id,
                Host = registration?.Host,
                Zone = registration?.Zone ?? (assigned.Count > 0 ? assigned[0].Zone : null),
                Capacity = new AllocatorCapacityView(new MemoryView(registration?.Capacity.Memory.TotalMb ?? 0, Math.Max(registration?.Capacity.Memory.UsedMb ?? 0, assignedMb))),
                Tags = tags,
                MaintenanceMode = meta.MaintenanceMode || registration?.MaintenanceMode == true,
                Connected = registration is not null,
                Instances = [.. assigned.Select(a => a.ClusterId + "-" + a.InstanceName).Order(StringComparer.Ordinal)],
            };
        })];
    }

    /// <summary>Ids of the allocators whose ephemeral registration exists: the only liveness signal.</summary>
    public async Task<ImmutableHashSet<string>> ReadConnectedAllocatorsAsync(CancellationToken cancellationToken)
    {
        var client = await ClientAsync(cancellationToken);
        return [.. await ZooKeeperReads.ChildrenAsync(client, CloudPaths.Allocators, cancellationToken)];
    }

    public async Task<ImmutableDictionary<string, InstanceStatus>> ReadInstancesAsync(string clusterId, CancellationToken cancellationToken)
    {
        var client = await ClientAsync(cancellationToken);
        return (await ZooKeeperReads.ChildrenWithDataAsync(client, CloudPaths.InstancesOf(clusterId), cancellationToken))
            .Select(c => TryRead<InstanceStatus>(c.Data)).OfType<InstanceStatus>()
            .ToImmutableDictionary(s => s.InstanceName, StringComparer.Ordinal);
    }

    public async Task<RoutingTable?> ReadRoutingAsync(string clusterId, CancellationToken cancellationToken)
    {
        var client = await ClientAsync(cancellationToken);
        try
        {
            return TryRead<RoutingTable>((await client.GetDataAsync(CloudPaths.RoutingOf(clusterId), cancellationToken: cancellationToken)).Data);
        }
        catch (NoNodeException)
        {
            return null;
        }
    }

    public async Task<ImmutableSortedDictionary<string, RoutingOverride>> ReadOverridesAsync(string clusterId, CancellationToken cancellationToken)
    {
        var client = await ClientAsync(cancellationToken);
        return (await ZooKeeperReads.ChildrenWithDataAsync(client, CloudPaths.OverridesOf(clusterId), cancellationToken))
            .Select(c => (c.Name, Value: TryRead<RoutingOverride>(c.Data)))
            .Where(c => c.Value is not null)
            .ToImmutableSortedDictionary(c => c.Name, c => c.Value!, StringComparer.Ordinal);
    }

    /// <summary>The children of an ephemeral liveness path as raw JSON objects (runners, proxies).</summary>
    public async Task<ImmutableArray<(string Id, JsonElement Facts)>> ReadLivenessAsync(string path, CancellationToken cancellationToken)
    {
        var client = await ClientAsync(cancellationToken);
        return [.. (await ZooKeeperReads.ChildrenWithDataAsync(client, path, cancellationToken))
            .Select(c => (c.Name, Facts: TryRead<JsonElement>(c.Data)))];
    }

    /// <summary>Every constructor in leader election, in election order: the first leads.</summary>
    public async Task<ImmutableArray<ConstructorView>> ReadConstructorsAsync(CancellationToken cancellationToken)
    {
        var client = await ClientAsync(cancellationToken);
        var participants = (await ZooKeeperReads.ChildrenWithDataAsync(client, CloudPaths.ConstructorLeader, cancellationToken))
            .OrderBy(p => SequenceOf(p.Name))
            .Select(p => System.Text.Encoding.UTF8.GetString(p.Data))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return [.. participants.Select((id, i) => new ConstructorView(id, Leader: i == 0, Connected: true))];
    }

    // Sequential nodes end with ZooKeeper's ten-digit counter, whatever prefix the recipe gives them.
    private static long SequenceOf(string name) =>
        name.Length >= 10 && long.TryParse(name.AsSpan(name.Length - 10), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var sequence) ? sequence : long.MaxValue;

    private static T? TryRead<T>(byte[] data)
    {
        try
        {
            return data.Length == 0 ? default : JsonSerializer.Deserialize<T>(data, CloudJson.Options);
        }
        catch (JsonException)
        {
            return default;
        }
    }
}
