using System.Collections.Immutable;
using System.Net;
using System.Text.Json;
using Cloud.Allocator.Capacity;
using Cloud.Allocator.Configuration;
using Cloud.Allocator.Containers;
using Cloud.Allocator.Coordination;
using Cloud.Allocator.Images;
using Cloud.Allocator.Ports;
using Cloud.Allocator.Purge;
using Cloud.Allocator.Registration;
using Cloud.Allocator.Status;
using Cloud.Shared.Allocators;
using Cloud.Shared.Containers;
using Cloud.Shared.Coordination;
using Cloud.Shared.Hosting;
using Cloud.ZooKeeper;
using Microsoft.Extensions.Logging;

namespace Cloud.Allocator.Assignments;

/// <summary>
/// One level-triggered pass: re-reads every assignment, definition, reservation and observation,
/// decides capacity and ports with pure functions, then makes ZooKeeper match (definitions for the
/// runner, port reservations, statuses, the registration). Idempotent: a pass over unchanged input
/// writes nothing. Any failed read aborts the pass before anything is deleted.
/// </summary>
internal sealed partial class AllocatorReconciler(
    ResolvedAllocatorOptions options,
    ReconcileSignal signal,
    NodeProber prober,
    InstanceStatusPublisher statusPublisher,
    AllocatorAdvertiser advertiser,
    ClusterDataPurger purger,
    TimeProvider timeProvider,
    ILogger<AllocatorReconciler> logger)
{
    private readonly DateTimeOffset _startedAt = timeProvider.GetUtcNow();
    private readonly IPAddress _bindIp = IPAddress.Parse(options.PortBindIp);
    private AllocatorMeta _meta = new();
    private ImmutableDictionary<string, string> _reportedRefusals = ImmutableDictionary<string, string>.Empty;

    // Instances whose container ran its definition in force and answered in the last pass: a host-wide
    // change is rolled out to the next instance only once every other one is settled (rolling, one at a time).
    private ImmutableDictionary<string, bool> _settled = ImmutableDictionary<string, bool>.Empty;

    /// <summary>The capacity plan of the last complete pass.</summary>
    public CapacityPlan? LastPlan { get; private set; }

    public async Task ReconcileAsync(ZooKeeperClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var watcher = signal.Watcher;
        await ReadMetaAsync(client, watcher, cancellationToken);
        var assignments = await AssignmentReader.ReadAsync(client, options.AllocatorId, watcher, cancellationToken);
        var definitions = await DefinitionReader.ReadAsync(client, options.HostId, options.AllocatorId, watcher, cancellationToken);
        var hostImages = await HostImagesReader.ReadAsync(client, options.HostId, watcher, cancellationToken);
        var reservations = await PortReservationStore.ReadAsync(client, options.MachineKey, options.AllocatorId, cancellationToken);
        var definitionsByInstance = definitions.Values
            .Where(d => d.InstanceId is not null)
            .GroupBy(d => d.InstanceId!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

        var requests = assignments.IsAuthoritative
            ? assignments.Valid.Select(e => new CapacityRequest(
                e.InstanceId,
                e.Assignment!.MemoryMb,
                e.CreatedZxid,
                definitionsByInstance.TryGetValue(e.InstanceId, out var inForce) ? ElasticsearchContainerSpecBuilder.MemoryMbOf(inForce.Spec) : null,
                ImageCheck.Refusal(e.Assignment, options.ImageTemplate, hostImages, options.HostId)))

            // Without the assignments, what runs is what the definitions in force grant: advertise that, not an empty host.
            : definitionsByInstance
                .Select(d => (InstanceId: d.Key, MemoryMb: ElasticsearchContainerSpecBuilder.MemoryMbOf(d.Value.Spec)))
                .Where(d => d.MemoryMb is not null)
                .Select(d => new CapacityRequest(d.InstanceId, d.MemoryMb!.Value, 0, d.MemoryMb));
        var plan = CapacityPlanner.Plan(requests, options.MemoryCapacityMb);
        ReportRefusals(assignments, plan);

        // Advertise first: the registration node is this allocator's lease on its id, and only its
        // holder may write definitions, ports and statuses.
        await advertiser.AdvertiseAsync(client, RegistrationBuilder.Build(options, _meta, plan, _startedAt), cancellationToken);
        LastPlan = plan;
        if (!advertiser.IsRegistered)
        {
            LogNotHoldingId(options.AllocatorId);
            return;
        }

        if (!assignments.IsAuthoritative)
        {
            // Exactly like the runner's missing definitions node: leave every definition, port and status as it is.
            LogWorkNodeMissing(CloudPaths.WorkOf(options.AllocatorId));
            return;
        }

        var ports = await ReservePortsAsync(client, plan, reservations, definitionsByInstance, cancellationToken);
        var planned = await WriteDefinitionsAsync(client, assignments, plan, ports, definitions, cancellationToken);
        await DeleteUnwantedDefinitionsAsync(client, assignments, definitions, planned, cancellationToken);
        await PublishStatusesAsync(client, planned, watcher, cancellationToken);
        await purger.PurgeAsync(client, assignments, definitionsByInstance.Keys.ToHashSet(StringComparer.Ordinal), watcher, cancellationToken);
    }

    private async Task ReadMetaAsync(ZooKeeperClient client, Watcher watcher, CancellationToken cancellationToken)
    {
        try
        {
            var meta = await AllocatorMetaStore.ReadAsync(client, options.AllocatorId, watcher, cancellationToken);
            if (meta.MaintenanceMode != _meta.MaintenanceMode)
            {
                LogMaintenanceMode(meta.MaintenanceMode);
            }

            _meta = meta;
        }
        catch (JsonException ex)
        {
            // Keep the last good meta rather than dropping operator decisions on a bad write.
            LogBadMeta(ex.Message);
        }
    }

    private void ReportRefusals(AssignmentSnapshot assignments, CapacityPlan plan)
    {
        var refusals = plan.Decisions.Values
            .Where(d => d.Reason is not null)
            .ToImmutableDictionary(d => d.InstanceId, d => d.Reason!, StringComparer.Ordinal)
            .AddRange(assignments.Entries.Values.Where(e => !e.IsValid).Select(e => KeyValuePair.Create(e.InstanceId, "unreadable assignment: " + e.Error)));
        foreach (var (instanceId, reason) in refusals.Where(r => !_reportedRefusals.TryGetValue(r.Key, out var old) || old != r.Value))
        {
            LogRefused(instanceId, reason);
        }

        _reportedRefusals = refusals;
    }

    private async Task<PortAllocation> ReservePortsAsync(
        ZooKeeperClient client,
        CapacityPlan plan,
        PortReservations reservations,
        Dictionary<string, WrittenDefinition> definitionsByInstance,
        CancellationToken cancellationToken)
    {
        // Ports a definition already uses count as reserved even if the reservation node lost them.
        var current = reservations.Own;
        foreach (var (instanceId, definition) in definitionsByInstance)
        {
            if (!current.ContainsKey(instanceId) && PortsOf(definition.Spec) is { } inUse)
            {
                current = current.SetItem(instanceId, inUse);
            }
        }

        current = PortConflicts.Resolve(current, reservations.HeldByOthers, options.AllocatorId);
        var wanted = plan.Decisions.Values.Where(d => d.Verdict != CapacityVerdict.Refused).Select(d => d.InstanceId);
        var allocation = PortAllocator.Allocate(current, wanted, options.PortRange,
            port => reservations.HeldByOthers.ContainsKey(port) || PortAvailability.IsBound(_bindIp, port));
        if (allocation.Changed(reservations.Own))
        {
            await PortReservationStore.WriteAsync(client, options.MachineKey, options.AllocatorId, allocation.Ports, reservations.Version, cancellationToken);
            if (logger.IsEnabled(LogLevel.Information))
            {
                var summary = string.Join(", ", allocation.Ports.Select(p => $"{p.Key}={p.Value.Http}/{p.Value.Transport}"));
                LogPortsReserved(allocation.Ports.Count, summary);
            }
        }

        foreach (var instanceId in allocation.Exhausted)
        {
            LogPortsExhausted(instanceId, options.PortRange.ToString());
        }

        return allocation;
    }

    private async Task<List<PlannedInstance>> WriteDefinitionsAsync(
        ZooKeeperClient client,
        AssignmentSnapshot assignments,
        CapacityPlan plan,
        PortAllocation ports,
        ImmutableSortedDictionary<string, WrittenDefinition> definitions,
        CancellationToken cancellationToken)
    {
        var clusters = new Dictionary<string, ImmutableArray<InstanceStatus>>(StringComparer.Ordinal);
        var planned = new List<PlannedInstance>();
        var rolled = false;
        foreach (var entry in assignments.Valid)
        {
            var assignment = entry.Assignment!;
            var decision = plan.For(entry.InstanceId);
            var instancePorts = ports.Ports.GetValueOrDefault(entry.InstanceId);
            var name = ContainerNames.For(assignment.ClusterId, assignment.InstanceName);
            var existing = definitions.GetValueOrDefault(name);
            string? error = null;
            var hash = existing is null ? null : ContainerSpecJson.Hash(existing.Spec);
            var runs = entry.WantsRunning && instancePorts is not null && decision.Verdict != CapacityVerdict.Refused
                && (decision.Verdict == CapacityVerdict.Accepted || existing is not null);
            if (runs)
            {
                if (!clusters.TryGetValue(assignment.ClusterId, out var members))
                {
                    members = [.. (await ClusterInstancesReader.ReadAsync(client, assignment.ClusterId, cancellationToken)).Select(m => m.Status)];
                    clusters[assignment.ClusterId] = members;
                }

                var others = SeedHosts.From(members, assignment.InstanceName);
                var paths = InstancePaths.For(options.DataRoot, options.AllocatorId, entry.InstanceId, assignment.ClusterId);
                error = PrepareFiles(entry.InstanceId, paths, others);
                if (error is null && decision.Verdict == CapacityVerdict.Accepted)
                {
                    var seeds = existing is null ? others : ElasticsearchContainerSpecBuilder.SeedHostsOf(existing.Spec);
                    var input = new InstanceSpecInput(entry.InstanceId, assignment, instancePorts!, seeds);
                    var spec = ElasticsearchContainerSpecBuilder.Build(input, options);
                    hash = ContainerSpecJson.Hash(spec);
                    if (existing is not null && ContainerSpecJson.Hash(existing.Spec) != hash && HostWideChange.IsOnlyHostWide(existing.Spec, input, options))
                    {
                        // Only the host's options changed: one instance at a time, each back and answering before the next.
                        if (rolled || !OthersSettled(entry.InstanceId, definitionsInForce: assignments.Valid.Select(e => e.InstanceId)))
                        {
                            LogRollingWait(entry.InstanceId);
                            hash = ContainerSpecJson.Hash(existing.Spec);
                        }
                        else
                        {
                            rolled = true;
                            await WriteDefinitionAsync(client, name, spec, existing, entry.InstanceId, cancellationToken);
                        }
                    }
                    else
                    {
                        await WriteDefinitionAsync(client, name, spec, existing, entry.InstanceId, cancellationToken);
                    }
                }
            }

            planned.Add(new PlannedInstance(entry.InstanceId, assignment, decision, instancePorts, name, runs, error, hash));
        }

        return planned;
    }

    /// <summary>Whether every other instance of this allocator ran its definition in force and answered in the last pass.</summary>
    private bool OthersSettled(string instanceId, IEnumerable<string> definitionsInForce) =>
        definitionsInForce.Where(id => id != instanceId).All(id => _settled.GetValueOrDefault(id));

    /// <summary>
    /// The instance's data directory and <c>unicast_hosts.txt</c>. A file-system failure is this instance's
    /// error, published in its status; its definition (if any) stays as it is and the other instances go on.
    /// </summary>
    private string? PrepareFiles(string instanceId, InstancePaths paths, ImmutableArray<string> others)
    {
        try
        {
            if (InstanceDirectories.Ensure(paths, SeedHosts.FileContent(others), options))
            {
                LogUnicastHosts(instanceId, others.Length);
            }

            return null;
        }
        catch (Exception ex) when (!ErrorPolicy.IsFatal(ex))
        {
            LogFilesFailed(ex, instanceId);
            return $"could not prepare the instance's files under {paths.InstanceDirectory}: {ex.Message}";
        }
    }

    private async Task WriteDefinitionAsync(
        ZooKeeperClient client, string name, ContainerSpec spec, WrittenDefinition? existing, string instanceId, CancellationToken cancellationToken)
    {
        var path = CloudPaths.Container(options.HostId, name);
        var hash = ContainerSpecJson.Hash(spec);
        if (existing is null)
        {
            try
            {
                await ZooKeeperNodes.CreateAsync(client, path, ContainerSpecJson.Serialize(spec), CreateMode.Persistent, cancellationToken);
                LogDefinitionWritten(name, instanceId, hash, "created");
            }
            catch (NodeExistsException)
            {
                // Unreadable, or written by someone else: never overwritten, and it must not hold up the
                // other instances of this pass.
                LogDefinitionBlocked(name, instanceId);
            }
        }
        else if (ContainerSpecJson.Hash(existing.Spec) != hash)
        {
            await client.SetDataAsync(path, ContainerSpecJson.Serialize(spec), existing.Version, cancellationToken);
            LogDefinitionWritten(name, instanceId, hash, "changed");
        }
    }

    private async Task DeleteUnwantedDefinitionsAsync(
        ZooKeeperClient client,
        AssignmentSnapshot assignments,
        ImmutableSortedDictionary<string, WrittenDefinition> definitions,
        List<PlannedInstance> planned,
        CancellationToken cancellationToken)
    {
        var wanted = planned.Where(p => p.DefinitionInForce).Select(p => p.ContainerName).ToHashSet(StringComparer.Ordinal);
        var unreadable = assignments.Entries.Values.Where(e => !e.IsValid).Select(e => e.InstanceId).ToHashSet(StringComparer.Ordinal);
        foreach (var definition in definitions.Values.Where(d => !wanted.Contains(d.ContainerName)))
        {
            if (definition.InstanceId is not null && unreadable.Contains(definition.InstanceId))
            {
                continue; // Its assignment exists but cannot be read: keep the container rather than guess.
            }

            if (client.State != ConnectionState.Connected)
            {
                throw new ConnectionLossException("not connected: definitions are only deleted from an authoritative view");
            }

            try
            {
                await client.DeleteAsync(CloudPaths.Container(options.HostId, definition.ContainerName), definition.Version, cancellationToken);
                LogDefinitionDeleted(definition.ContainerName, definition.InstanceId ?? "?");
            }
            catch (NoNodeException)
            {
            }
        }
    }

    private async Task PublishStatusesAsync(ZooKeeperClient client, List<PlannedInstance> planned, Watcher watcher, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var results = await Task.WhenAll(planned.Select(async instance =>
        {
            var observation = await ReadObservationAsync(client, instance.ContainerName, watcher, cancellationToken);
            NodeProbe? probe = null;
            if (instance.DefinitionInForce && instance.Ports is not null && observation?.State == ContainerStates.Running)
            {
                probe = await prober.ProbeAsync(options.ProbeAddress, instance.Ports.Http, options.ProbeTimeout, cancellationToken);
            }

            var input = new InstanceStatusInput(instance.Assignment, instance.Decision, instance.Ports, instance.DefinitionInForce, observation, probe, instance.Error);
            var settled = !instance.DefinitionInForce
                || (observation is { State: ContainerStates.Running } && observation.DefinitionHash == instance.DefinitionHash && probe is { Reachable: true });
            return (instance.InstanceId, Settled: settled, Status: InstanceStatusComposer.Compose(input, options, now));
        }));
        _settled = results.ToImmutableDictionary(r => r.InstanceId, r => r.Settled, StringComparer.Ordinal);
        var statuses = results.Select(r => r.Status).ToArray();
        await statusPublisher.PublishAsync(client, statuses, cancellationToken);
    }

    private async Task<ContainerObservation?> ReadObservationAsync(ZooKeeperClient client, string containerName, Watcher watcher, CancellationToken cancellationToken)
    {
        var node = await ZooKeeperNodes.TryGetDataAsync(client, CloudPaths.InspectedContainer(options.HostId, containerName), watcher, cancellationToken);
        if (node is null || node.Data.Length == 0)
        {
            return null;
        }

        try
        {
            return Shared.Serialization.CloudJson.Deserialize<ContainerObservation>(node.Data);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static InstancePorts? PortsOf(ContainerSpec spec)
    {
        var bindings = spec.HostConfig?.PortBindings;
        return bindings is not null
            && bindings.TryGetValue(ElasticsearchContainerSpecBuilder.HttpPortKey, out var http) && !http.IsDefaultOrEmpty
            && bindings.TryGetValue(ElasticsearchContainerSpecBuilder.TransportPortKey, out var transport) && !transport.IsDefaultOrEmpty
            && int.TryParse(http[0].HostPort, out var httpPort) && int.TryParse(transport[0].HostPort, out var transportPort)
            ? new InstancePorts(httpPort, transportPort)
            : null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Container definition {ContainerName} for {InstanceId} {Change} (hash {Hash})")]
    private partial void LogDefinitionWritten(string containerName, string instanceId, string hash, string change);

    [LoggerMessage(Level = LogLevel.Information, Message = "Container definition {ContainerName} of {InstanceId} deleted: no longer assigned, stopped or refused")]
    private partial void LogDefinitionDeleted(string containerName, string instanceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Assignment {InstanceId} refused: {Reason}")]
    private partial void LogRefused(string instanceId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Port reservations now {Count}: {Ports}")]
    private partial void LogPortsReserved(int count, string ports);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No free ports left in {Range} for {InstanceId}")]
    private partial void LogPortsExhausted(string instanceId, string range);

    [LoggerMessage(Level = LogLevel.Information, Message = "Host-wide options changed for {InstanceId}: waiting until every other instance runs its definition and answers")]
    private partial void LogRollingWait(string instanceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Preparing the files of {InstanceId} failed; its definition stays as it is")]
    private partial void LogFilesFailed(Exception exception, string instanceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Path} does not exist: not authoritative, so every definition stays as it is")]
    private partial void LogWorkNodeMissing(string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Another session holds /cloud/allocators/{AllocatorId}: not writing anything until it is ours")]
    private partial void LogNotHoldingId(string allocatorId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Definition {Name} for {InstanceId} already exists but is not one of ours (or is unreadable); leaving it alone")]
    private partial void LogDefinitionBlocked(string name, string instanceId);

    [LoggerMessage(Level = LogLevel.Information, Message = "unicast_hosts.txt of {InstanceId} now lists {Count} other instances")]
    private partial void LogUnicastHosts(string instanceId, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Maintenance mode is now {MaintenanceMode}")]
    private partial void LogMaintenanceMode(bool maintenanceMode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Allocator meta node is unreadable, keeping the last good one: {Reason}")]
    private partial void LogBadMeta(string reason);
}
