using System.Collections.Immutable;
using Cloud.Constructor.Clusters.Resources;
using Cloud.Constructor.Infrastructure;
using Cloud.Shared.Allocators;
using Cloud.Shared.Routing;

namespace Cloud.Constructor.Clusters;

/// <summary>Builds the API's cluster resource from the plans and what the agents report. Pure.</summary>
public static class ClusterResourceBuilder
{
    public static ClusterResource Build(
        ClusterSnapshot snapshot,
        IReadOnlyDictionary<string, InstanceStatus> statuses,
        IReadOnlyDictionary<string, AllocatorView> allocators,
        RoutingTable? routing,
        string proxyEndpointTemplate)
    {
        var plans = snapshot.Plans;
        var planned = plans.Current?.Instances ?? [];
        var pendingNew = plans.Pending?.Instances.Where(p => !planned.Any(c => c.InstanceName == p.InstanceName)) ?? [];
        var version = plans.Current?.Plan.Version ?? plans.Pending?.Plan.Version ?? string.Empty;
        var instances = planned.Concat(pendingNew).Select(i =>
        {
            statuses.TryGetValue(i.InstanceName, out var status);
            var connected = allocators.TryGetValue(i.AllocatorId, out var allocator) && allocator.Connected;
            var running = status is { ContainerState: "running", Probe.Reachable: true };
            var maintenance = plans.MaintenanceInstances.Contains(i.InstanceName);
            var routed = routing is null ? running : routing.Instances.Contains(i.InstanceName);
            return new InstanceView
            {
                InstanceName = i.InstanceName,
                AllocatorId = i.AllocatorId,
                Zone = i.Zone,
                MemoryMb = i.MemoryMb,
                ContainerState = !connected ? "unknown" : status?.ContainerState ?? "pending",
                Routable = connected && running && routed && !maintenance,
                MaintenanceMode = maintenance,
                ServiceVersion = status?.Probe?.Version ?? version,
                // A gone allocator's instances are unhealthy at once, whatever they last reported.
                Healthy = connected && running,
                AllocatorConnected = connected,
                Host = status?.Host,
                HttpPort = status?.HttpPort,
            };
        }).ToImmutableArray();
        var current = instances.Where(v => planned.Any(p => p.InstanceName == v.InstanceName)).ToList();
        var status = plans.Lifecycle == "stopped" ? "stopped"
            : plans.Pending?.Kind == PlanKinds.Shutdown ? "stopping"
            : plans.Current is null ? "initializing"
            : plans.Pending is not null ? "reconfiguring"
            : "started";
        return new ClusterResource
        {
            ClusterId = snapshot.Record.ClusterId,
            ClusterName = snapshot.Record.ClusterName,
            Healthy = status is "started" or "reconfiguring" && current.Count > 0 && current.All(v => v.Healthy),
            Status = status,
            PlanInfo = new PlanInfo { Current = plans.Current, Pending = plans.Pending, History = plans.History },
            Topology = new TopologyView(instances),
            Endpoints = new EndpointsView(proxyEndpointTemplate.Replace("{cluster_id}", snapshot.Record.ClusterId, StringComparison.Ordinal)),
        };
    }
}
