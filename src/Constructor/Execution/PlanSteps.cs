using System.Collections.Immutable;
using System.Globalization;
using Cloud.Constructor.Clusters;
using Cloud.Constructor.Elasticsearch;
using Cloud.Constructor.Infrastructure;
using Cloud.Constructor.Routing;
using Cloud.Constructor.Validation;
using Cloud.Shared.Allocators;
using Microsoft.Extensions.Options;

namespace Cloud.Constructor.Execution;

/// <summary>
/// What each step does. Every step is idempotent: it re-reads what it needs and may run again after a
/// constructor died in the middle of it. Calls a node does not offer are recorded in the step's log
/// (and the step marked skipped) instead of being taken for success.
/// </summary>
public sealed partial class PlanSteps(
    ClusterStore store,
    AssignmentWriter assignments,
    RoutingWriter routing,
    PlatformReader platform,
    ElasticsearchClientFactory elasticsearch,
    IOptions<ConstructorOptions> options,
    TimeProvider timeProvider) : IPlanSteps
{
    private const string ExcludeNameSetting = "cluster.routing.allocation.exclude._name";
    private const string AllocationEnableSetting = "cluster.routing.allocation.enable";
    private const string SnapshotRepository = "cloud-plans";

    private readonly ConstructorOptions _options = options.Value;

    public async Task<StepOutcome> RunAsync(string stepId, PlanContext context, CancellationToken cancellationToken) => stepId switch
    {
        StepIds.VerifyVersionCompatibility => VerifyVersion(context),
        StepIds.Snapshot => await SnapshotAsync(context, cancellationToken),
        StepIds.StartNewInstances => await StartAsync(context, context.Added, cancellationToken),
        StepIds.WaitForNewInstances => await WaitForInstancesAsync(context, context.Added, cancellationToken),
        StepIds.ExcludeOldFromAllocation => await ExcludeFromAllocationAsync(context, cancellationToken),
        StepIds.WaitForShardMigration => await WaitForMigrationAsync(context, cancellationToken),
        StepIds.UpdateRouting => await UpdateRoutingAsync(context, context.Pending.Kind == PlanKinds.Shutdown ? [] : context.Target, cancellationToken),
        StepIds.Drain => await DrainAsync(context, cancellationToken),
        StepIds.ExcludeOldMastersFromVoting => await ExcludeFromVotingAsync(context, cancellationToken),
        StepIds.StopOldInstances => await StopOldAsync(context, cancellationToken),
        StepIds.CleanUp => await CleanUpAsync(context, cancellationToken),
        StepIds.StopInstances => await StopAllAsync(context, cancellationToken),
        StepIds.WaitForStopped => await WaitForStoppedAsync(context, cancellationToken),
        _ when stepId.StartsWith(StepIds.StartInstancePrefix, StringComparison.Ordinal) =>
            await StartAsync(context, [.. context.Added.Where(i => i.InstanceName == stepId[StepIds.StartInstancePrefix.Length..])], cancellationToken),
        _ when stepId.StartsWith(StepIds.WaitForInstancePrefix, StringComparison.Ordinal) =>
            await WaitForInstancesAsync(context, [.. context.Added.Where(i => i.InstanceName == stepId[StepIds.WaitForInstancePrefix.Length..])], cancellationToken),
        _ when stepId.StartsWith(StepIds.RollingRestartPrefix, StringComparison.Ordinal) =>
            await RollingRestartAsync(context, stepId[StepIds.RollingRestartPrefix.Length..], cancellationToken),
        _ => StepOutcome.Error($"unknown step '{stepId}'"),
    };

    /// <summary>The assignment an instance of the plan gets.</summary>
    public static InstanceAssignment AssignmentFor(PlanContext context, PlanRecord plan, PlannedInstance instance, InstanceAssignment? existing, string desiredState = "started") => new()
    {
        ClusterId = context.ClusterId,
        ClusterName = context.Cluster.ClusterName,
        InstanceName = instance.InstanceName,
        Version = plan.Plan.Version,
        DockerImage = plan.Plan.Elasticsearch?.DockerImage,
        MemoryMb = instance.MemoryMb,
        NodeRoles = instance.NodeRoles,
        Zone = instance.Zone,
        // Only the nodes of a brand-new cluster bootstrap it; a node joining one that exists must not.
        InitialMasterNodes = existing?.InitialMasterNodes
            ?? (context.IsNewCluster ? [.. plan.Instances.Where(i => i.IsMasterEligible).Select(i => i.InstanceName)] : []),
        UserSettings = plan.Plan.Elasticsearch?.UserSettings ?? ImmutableSortedDictionary<string, System.Text.Json.JsonElement>.Empty,
        DesiredState = desiredState,
        Generation = existing?.Generation ?? 0,
    };

    private static StepOutcome VerifyVersion(PlanContext context)
    {
        if (context.Current is null)
        {
            return StepOutcome.Success($"new cluster at {context.Pending.Plan.Version}");
        }

        if (!ElasticsearchVersion.TryParse(context.Current.Plan.Version, out var now) || !ElasticsearchVersion.TryParse(context.Pending.Plan.Version, out var next))
        {
            return StepOutcome.Error("unreadable version");
        }

        if (next < now || next.Major > now.Major + 1)
        {
            return StepOutcome.Error($"{now} -> {next} is not a supported upgrade");
        }

        return StepOutcome.Success(now == next ? $"version stays {now}" : $"upgrade {now} -> {next}");
    }

    private async Task<StepOutcome> SnapshotAsync(PlanContext context, CancellationToken cancellationToken)
    {
        if (context.IsNewCluster)
        {
            return StepOutcome.Skipped("new cluster: nothing to snapshot");
        }

        if (string.IsNullOrEmpty(_options.SnapshotRepositoryLocation))
        {
            return StepOutcome.Skipped("no snapshot repository configured (Constructor:SnapshotRepositoryLocation)");
        }

        var client = await ClientAsync(context, context.From, cancellationToken);
        if (client is null)
        {
            return StepOutcome.Error("no instance of the cluster answers; cannot snapshot");
        }

        var name = $"plan-{context.Pending.PlanId}";
        await client.PutFsSnapshotRepositoryAsync(SnapshotRepository, _options.SnapshotRepositoryLocation, cancellationToken);
        var existing = await client.GetSnapshotsAsync(SnapshotRepository, cancellationToken);
        if (existing.GetRawText().Contains($"\"{name}\"", StringComparison.Ordinal))
        {
            return StepOutcome.Success($"snapshot {SnapshotRepository}/{name} already taken");
        }

        await client.CreateSnapshotAsync(SnapshotRepository, name, cancellationToken);
        return StepOutcome.Success($"snapshot {SnapshotRepository}/{name} taken");
    }

    private async Task<StepOutcome> StartAsync(PlanContext context, IReadOnlyList<PlannedInstance> instances, CancellationToken cancellationToken)
    {
        if (instances.Count == 0)
        {
            return StepOutcome.Skipped("no new instances");
        }

        var log = new List<string>();
        foreach (var instance in instances)
        {
            var existing = await assignments.ReadAsync(context.ClusterId, instance, cancellationToken);
            var written = await assignments.WriteAsync(context.ClusterId, instance, AssignmentFor(context, context.Pending, instance, existing), cancellationToken);
            log.Add($"{instance.InstanceName} on {instance.AllocatorId} ({instance.Zone}, {instance.MemoryMb} MB): {(written ? "assigned" : "already assigned")}");
        }

        return StepOutcome.Success([.. log]);
    }

    private async Task<StepOutcome> WaitForInstancesAsync(PlanContext context, IReadOnlyList<PlannedInstance> instances, CancellationToken cancellationToken)
    {
        if (instances.Count == 0)
        {
            return StepOutcome.Skipped("no new instances");
        }

        var version = context.Pending.Plan.Version;
        var statuses = await WaitAsync(
            async () =>
            {
                var all = await platform.ReadInstancesAsync(context.ClusterId, cancellationToken);
                return instances.All(i => all.TryGetValue(i.InstanceName, out var s) && IsUp(s, version)) ? all : null;
            },
            context,
            cancellationToken);
        var log = instances.Select(i => $"{i.InstanceName} running at {statuses[i.InstanceName].Host}:{statuses[i.InstanceName].HttpPort}").ToList();
        var wanted = instances.Select(i => i.InstanceName).ToHashSet(StringComparer.Ordinal);
        IReadOnlyList<CatNode> listed = [];
        var joinDeadline = timeProvider.GetUtcNow() + _options.JoinTimeout;
        try
        {
            while (true)
            {
                try
                {
                    // Any answering instance will do: every node of one cluster lists all its nodes.
                    var client = await ClientAsync(context, instances, cancellationToken);
                    if (client is not null)
                    {
                        listed = await client.GetNodesAsync(cancellationToken);
                        if (wanted.IsSubsetOf(listed.Select(n => n.Name ?? string.Empty)))
                        {
                            log.Add($"all {instances.Count} joined the cluster (_cat/nodes)");
                            break;
                        }
                    }
                }
                catch (ElasticsearchUnavailableException)
                {
                    // No master yet (the cluster is forming or electing): ask again.
                }

                if (timeProvider.GetUtcNow() > joinDeadline)
                {
                    return StepOutcome.Error([.. log, $"the new instances did not join within {_options.JoinTimeout.TotalSeconds:0} s; _cat/nodes lists [{string.Join(',', listed.Select(n => n.Name))}]"]);
                }

                await Task.Delay(_options.PollInterval, timeProvider, cancellationToken);
            }
        }
        catch (ElasticsearchUnsupportedApiException ex)
        {
            log.Add($"the node does not offer _cat/nodes ({ex.Message}); joining was judged by each instance answering only");
        }

        return StepOutcome.Success([.. log]);
    }

    private async Task<StepOutcome> ExcludeFromAllocationAsync(PlanContext context, CancellationToken cancellationToken)
    {
        if (context.Removed.IsEmpty)
        {
            return StepOutcome.Skipped("no instance leaves the cluster");
        }

        var names = string.Join(',', context.Removed.Select(i => i.InstanceName));
        return await UnlessUnsupportedAsync(
            context,
            async client =>
            {
                await client.PutPersistentSettingsAsync(new Dictionary<string, string?> { [ExcludeNameSetting] = names }, cancellationToken);
                return StepOutcome.Success($"{ExcludeNameSetting}={names}");
            },
            "allocation filtering",
            cancellationToken);
    }

    private async Task<StepOutcome> WaitForMigrationAsync(PlanContext context, CancellationToken cancellationToken)
    {
        if (context.Removed.IsEmpty)
        {
            return StepOutcome.Skipped("no instance leaves the cluster");
        }

        var leaving = context.Removed.Select(i => i.InstanceName).ToHashSet(StringComparer.Ordinal);
        return await UnlessUnsupportedAsync(
            context,
            async client =>
            {
                var shards = await WaitAsync(
                    async () =>
                    {
                        var all = await client.GetShardsAsync(cancellationToken);
                        return all.Any(s => s.Node is { } node && leaving.Any(l => node.Split("->", StringSplitOptions.TrimEntries).Contains(l))) ? null : all;
                    },
                    context,
                    cancellationToken);
                return StepOutcome.Success(string.Create(CultureInfo.InvariantCulture, $"no shard left on {string.Join(',', leaving)} ({shards.Count} shards in the cluster)"));
            },
            "_cat/shards",
            cancellationToken);
    }

    private async Task<StepOutcome> UpdateRoutingAsync(PlanContext context, IReadOnlyList<PlannedInstance> routed, CancellationToken cancellationToken)
    {
        var names = routed.Select(i => i.InstanceName).ToImmutableArray();
        var updated = await store.UpdateAsync(
            context.ClusterId,
            s => s.Plans.RoutedInstances.SequenceEqual(names) ? null : s.Plans with { RoutedInstances = names },
            cancellationToken) ?? throw new InvalidOperationException("the cluster is gone");
        await routing.WriteAsync(context.ClusterId, updated.Plans, cancellationToken);
        return StepOutcome.Success($"routable: {(names.IsEmpty ? "none" : string.Join(',', names))}");
    }

    private async Task<StepOutcome> DrainAsync(PlanContext context, CancellationToken cancellationToken)
    {
        if (context.Removed.IsEmpty)
        {
            return StepOutcome.Skipped("no instance leaves routing");
        }

        // The proxy reads routing at once; this bounds how long requests already in flight may take.
        await Task.Delay(_options.DrainPeriod, timeProvider, cancellationToken);
        return StepOutcome.Success(string.Create(CultureInfo.InvariantCulture, $"drained for {_options.DrainPeriod.TotalSeconds:0.#} s"));
    }

    private async Task<StepOutcome> ExcludeFromVotingAsync(PlanContext context, CancellationToken cancellationToken)
    {
        var masters = context.Removed.Where(i => i.IsMasterEligible).Select(i => i.InstanceName).ToList();
        if (masters.Count == 0)
        {
            return StepOutcome.Skipped("no master-eligible instance leaves");
        }

        return await UnlessUnsupportedAsync(
            context,
            async client =>
            {
                await client.AddVotingExclusionsAsync(masters, cancellationToken);
                return StepOutcome.Success($"voting exclusions: {string.Join(',', masters)}");
            },
            "voting configuration exclusions",
            cancellationToken,
            preferTarget: true);
    }

    private async Task<StepOutcome> StopOldAsync(PlanContext context, CancellationToken cancellationToken)
    {
        if (context.Removed.IsEmpty)
        {
            return StepOutcome.Skipped("no instance leaves the cluster");
        }

        var log = new List<string>();
        foreach (var instance in context.Removed)
        {
            var existed = await assignments.RemoveAsync(context.ClusterId, instance, cancellationToken);
            log.Add($"{instance.InstanceName} on {instance.AllocatorId}: {(existed ? "unassigned" : "already unassigned")}");
        }

        return StepOutcome.Success([.. log]);
    }

    private async Task<StepOutcome> CleanUpAsync(PlanContext context, CancellationToken cancellationToken)
    {
        if (context.Removed.IsEmpty)
        {
            return StepOutcome.Skipped("nothing to clean up");
        }

        var log = new List<string>();
        await TryAsync(context, log, $"{ExcludeNameSetting} cleared", client => client.PutPersistentSettingsAsync(new Dictionary<string, string?> { [ExcludeNameSetting] = null }, cancellationToken), cancellationToken);
        await ClearVotingExclusionsAsync(context, context.Removed, log, context.Target, cancellationToken);
        return StepOutcome.Success([.. log]);
    }

    /// <summary>
    /// Clears the voting exclusions once <paramref name="leaving"/> have left the cluster (cleared earlier, a node
    /// still there would get its vote back just before it goes). Not waited for when one of them is on an allocator
    /// that is gone (its container may run on, orphaned), nor longer than <see cref="ConstructorOptions.JoinTimeout"/>.
    /// </summary>
    private async Task ClearVotingExclusionsAsync(PlanContext context, IReadOnlyList<PlannedInstance> leaving, List<string> log, IEnumerable<PlannedInstance> through, CancellationToken cancellationToken)
    {
        var connected = await platform.ReadConnectedAllocatorsAsync(cancellationToken);
        var orphans = leaving.Where(i => !connected.Contains(i.AllocatorId)).Select(i => i.InstanceName).ToList();
        if (orphans.Count == 0 && leaving.Any(i => i.IsMasterEligible))
        {
            var bounded = context with { Deadline = new[] { context.Deadline, timeProvider.GetUtcNow() + _options.JoinTimeout }.Min() };
            try
            {
                await TryAsync(bounded, log, "voting exclusions cleared (the excluded nodes left)", client => client.ClearVotingExclusionsAsync(waitForRemoval: true, cancellationToken), cancellationToken, through);
                return;
            }
            catch (TimeoutException)
            {
                log.Add($"excluded nodes still in the cluster after {_options.JoinTimeout.TotalSeconds:0} s");
            }
        }
        else if (orphans.Count > 0)
        {
            log.Add($"not waiting for {string.Join(',', orphans)} to leave: their allocator is gone");
        }

        await TryAsync(context, log, "voting exclusions cleared", client => client.ClearVotingExclusionsAsync(waitForRemoval: false, cancellationToken), cancellationToken, through);
    }

    private async Task<StepOutcome> StopAllAsync(PlanContext context, CancellationToken cancellationToken)
    {
        var log = new List<string>();
        foreach (var instance in context.From)
        {
            var existing = await assignments.ReadAsync(context.ClusterId, instance, cancellationToken);
            if (existing is null)
            {
                log.Add($"{instance.InstanceName}: no assignment");
                continue;
            }

            await assignments.WriteAsync(context.ClusterId, instance, existing with { DesiredState = "stopped" }, cancellationToken);
            log.Add($"{instance.InstanceName}: stop requested");
        }

        return StepOutcome.Success([.. log]);
    }

    private async Task<StepOutcome> WaitForStoppedAsync(PlanContext context, CancellationToken cancellationToken)
    {
        await WaitAsync(
            async () =>
            {
                var all = await platform.ReadInstancesAsync(context.ClusterId, cancellationToken);
                return context.From.All(i => !all.TryGetValue(i.InstanceName, out var s) || s.ContainerState != "running") ? all : null;
            },
            context,
            cancellationToken);
        return StepOutcome.Success("every instance stopped");
    }

    private async Task<StepOutcome> RollingRestartAsync(PlanContext context, string group, CancellationToken cancellationToken)
    {
        var members = StepCatalog.RollingGroups(context.Pending).Single(g => g.Key == group).ToList();
        var version = context.Pending.Plan.Version;
        var log = new List<string>();
        var statuses = await platform.ReadInstancesAsync(context.ClusterId, cancellationToken);
        if (members.All(m => statuses.TryGetValue(m.InstanceName, out var s) && IsUp(s, version)))
        {
            return StepOutcome.Success($"group {group} already runs {version}");
        }

        var others = context.Target.Where(i => !members.Contains(i)).ToList();
        IReadOnlyList<PlannedInstance> through = others.Count > 0 ? others : members;

        // Out of routing before anything stops.
        var remaining = context.Target.Where(i => !members.Contains(i)).Select(i => i.InstanceName).ToImmutableArray();
        var updated = await store.UpdateAsync(context.ClusterId, s => s.Plans with { RoutedInstances = [.. s.Plans.RoutedInstances.Where(remaining.Contains)] }, cancellationToken);
        await routing.WriteAsync(context.ClusterId, updated!.Plans, cancellationToken);
        log.Add($"out of routing: {string.Join(',', members.Select(m => m.InstanceName))}");

        await TryAsync(context, log, "allocation limited to primaries", client => client.PutPersistentSettingsAsync(new Dictionary<string, string?> { [AllocationEnableSetting] = "primaries" }, cancellationToken), cancellationToken, through);
        var nodeIds = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var member in members)
        {
            if (statuses.TryGetValue(member.InstanceName, out var status) && status.Probe?.Reachable == true)
            {
                await TryAsync(
                    context,
                    log,
                    $"{member.InstanceName}: node shutdown (restart) registered",
                    async client =>
                    {
                        var local = await elasticsearch.For(status.Host, status.HttpPort).GetLocalNodeAsync(cancellationToken);
                        nodeIds[member.InstanceName] = local.NodeId;
                        await client.PutNodeShutdownAsync(local.NodeId, "restart", $"plan {context.Pending.PlanId}", cancellationToken);
                    },
                    cancellationToken,
                    through);
            }
        }

        foreach (var member in members)
        {
            var existing = await assignments.ReadAsync(context.ClusterId, member, cancellationToken);
            await assignments.WriteAsync(context.ClusterId, member, AssignmentFor(context, context.Pending, member, existing), cancellationToken);
        }

        log.Add($"restarting at {version}: {string.Join(',', members.Select(m => m.InstanceName))}");
        await WaitAsync(
            async () =>
            {
                var all = await platform.ReadInstancesAsync(context.ClusterId, cancellationToken);
                return members.All(m => all.TryGetValue(m.InstanceName, out var s) && IsUp(s, version)) ? all : null;
            },
            context,
            cancellationToken);
        log.Add($"group {group} runs {version}");

        foreach (var (name, nodeId) in nodeIds)
        {
            await TryAsync(context, log, $"{name}: node shutdown cleared", client => client.DeleteNodeShutdownAsync(nodeId, cancellationToken), cancellationToken);
        }

        await TryAsync(context, log, "allocation enabled", client => client.PutPersistentSettingsAsync(new Dictionary<string, string?> { [AllocationEnableSetting] = null }, cancellationToken), cancellationToken);
        var back = context.Target.Select(i => i.InstanceName).Where(n => remaining.Contains(n) || members.Any(m => m.InstanceName == n)).ToImmutableArray();
        updated = await store.UpdateAsync(context.ClusterId, s => s.Plans with { RoutedInstances = back }, cancellationToken);
        await routing.WriteAsync(context.ClusterId, updated!.Plans, cancellationToken);
        log.Add("back in routing");
        return StepOutcome.Success([.. log]);
    }

    /// <summary>
    /// One call to the cluster (through <paramref name="through"/> first, else any instance of the plan), retried
    /// while the cluster is unavailable; a call the node does not offer is logged as not done, not as success.
    /// </summary>
    private async Task TryAsync(PlanContext context, List<string> log, string what, Func<ElasticsearchClient, Task> action, CancellationToken cancellationToken, IEnumerable<PlannedInstance>? through = null)
    {
        try
        {
            await CallAsync(
                context,
                through ?? context.Target,
                async client =>
                {
                    await action(client);
                    return what;
                },
                cancellationToken);
            log.Add(what);
        }
        catch (ElasticsearchUnsupportedApiException ex)
        {
            log.Add($"not done, the node does not offer it: {what} ({ex.Message})");
        }
    }

    private async Task<StepOutcome> UnlessUnsupportedAsync(PlanContext context, Func<ElasticsearchClient, Task<StepOutcome>> action, string what, CancellationToken cancellationToken, bool preferTarget = false)
    {
        try
        {
            return await CallAsync(context, preferTarget ? context.Target : context.From.IsEmpty ? context.Target : context.From, action, cancellationToken);
        }
        catch (ElasticsearchUnsupportedApiException ex)
        {
            return StepOutcome.Skipped($"not done, the node does not offer {what}: {ex.Message}");
        }
    }

    /// <summary>
    /// Calls the cluster through one of its answering instances (<paramref name="preferred"/> first). While
    /// the cluster is unavailable (no instance answers, no elected master: a master election after old
    /// masters left, a node restarting) it calls again, through whichever instance answers then, until the
    /// plan's deadline. Every other error is the caller's.
    /// </summary>
    private Task<T> CallAsync<T>(PlanContext context, IEnumerable<PlannedInstance> preferred, Func<ElasticsearchClient, Task<T>> action, CancellationToken cancellationToken)
        where T : class =>
        WaitAsync(
            async () =>
            {
                var client = await ClientAsync(context, preferred, cancellationToken)
                    ?? throw new ElasticsearchUnavailableException("no instance of the cluster answers");
                return await action(client);
            },
            context,
            cancellationToken);

    private async Task<ElasticsearchClient?> ClientAsync(PlanContext context, IEnumerable<PlannedInstance> preferred, CancellationToken cancellationToken)
    {
        var statuses = await platform.ReadInstancesAsync(context.ClusterId, cancellationToken);
        // An instance status is not a heartbeat: one on a gone allocator may still say running.
        var connected = await platform.ReadConnectedAllocatorsAsync(cancellationToken);
        var candidates = preferred.Concat(context.Target).Concat(context.From)
            .Where(i => connected.Contains(i.AllocatorId))
            .Select(i => statuses.GetValueOrDefault(i.InstanceName))
            .OfType<InstanceStatus>()
            .Where(s => s.ContainerState == "running" && s.Probe?.Reachable == true && s.HttpPort > 0);
        var first = candidates.FirstOrDefault();
        return first is null ? null : elasticsearch.For(first.Host, first.HttpPort);
    }

    private static bool IsUp(InstanceStatus status, string version) =>
        status.ContainerState == "running" && status.Probe is { Reachable: true } probe && (probe.Version is null || probe.Version == version);

    /// <summary>Polls observed state until <paramref name="probe"/> gives a value or the plan's deadline passes.</summary>
    private async Task<T> WaitAsync<T>(Func<Task<T?>> probe, PlanContext context, CancellationToken cancellationToken)
        where T : class
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                if (await probe() is { } value)
                {
                    return value;
                }
            }
            catch (ElasticsearchUnavailableException)
            {
                // A node restarting or not yet up: look again on the next round.
            }

            if (timeProvider.GetUtcNow() > context.Deadline)
            {
                throw new TimeoutException($"plan deadline {context.Deadline:O} passed");
            }

            await Task.Delay(_options.PollInterval, timeProvider, cancellationToken);
        }
    }
}
