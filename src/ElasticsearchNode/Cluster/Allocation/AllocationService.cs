using System.Collections.Immutable;
using Cloud.ElasticsearchNode.Cluster.State;

namespace Cloud.ElasticsearchNode.Cluster.Allocation;

/// <summary>
/// Reroute as a pure function of the cluster state: assign unassigned primaries, then replicas, move
/// copies off nodes they may not stay on, then rebalance toward an even spread once everything is
/// active. Allocation ids come from <paramref name="newAllocationId"/> so tests are deterministic.
/// </summary>
internal static class AllocationService
{
    public static ClusterState Reroute(ClusterState state, Func<string> newAllocationId)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(newAllocationId);
        var allocation = new RoutingAllocation(state);
        AllocateUnassigned(allocation, newAllocationId);
        MoveShards(allocation, newAllocationId);
        Rebalance(allocation, newAllocationId);
        var routing = RoutingTable.Of(allocation.Shards);
        return routing.Shards.SequenceEqual(state.Routing.Shards) ? state : state with { Routing = routing };
    }

    /// <summary>The node a copy would go to now, with every node's decisions (for allocation explain).</summary>
    public static (DiscoveryNode? Target, ImmutableArray<(DiscoveryNode Node, ImmutableArray<Decision> Decisions)> Decisions) Decide(RoutingAllocation allocation, ShardRouting shard)
    {
        ArgumentNullException.ThrowIfNull(allocation);
        var decisions = allocation.DataNodes
            .Select(n => (Node: n, Decisions: AllocationDeciders.CanAllocate(allocation, shard, n)))
            .ToImmutableArray();
        var target = decisions
            .Where(d => AllocationDeciders.Overall(d.Decisions) == DecisionType.Yes)
            .Select(d => d.Node)
            .OrderBy(n => allocation.ShardCount(n.Id))
            .ThenBy(n => allocation.Shards.Count(s => s.NodeId == n.Id && s.Index == shard.Index))
            .ThenBy(n => n.Id, StringComparer.Ordinal)
            .FirstOrDefault();
        return (target, decisions);
    }

    private static void AllocateUnassigned(RoutingAllocation allocation, Func<string> newAllocationId)
    {
        // Primaries first, so a replica is only ever placed once its primary has a home.
        foreach (var shard in allocation.Shards.Where(s => s.State == ShardRoutingState.Unassigned).OrderByDescending(s => s.Primary).ToList())
        {
            var index = allocation.Index(shard.Index);
            if (index is null)
            {
                continue;
            }

            if (shard.Primary)
            {
                AllocatePrimary(allocation, shard, index, newAllocationId);
                continue;
            }

            var primary = allocation.CopiesOf(shard.Id).FirstOrDefault(s => s.Primary && !s.IsRelocationTarget);
            if (primary is not { Active: true })
            {
                continue;
            }

            var (target, _) = Decide(allocation, shard);
            if (target is not null)
            {
                allocation.Replace(shard, shard with
                {
                    State = ShardRoutingState.Initializing,
                    NodeId = target.Id,
                    AllocationId = newAllocationId(),
                    UnassignedReason = null,
                    UnassignedSince = 0,
                });
            }
        }
    }

    private static void AllocatePrimary(RoutingAllocation allocation, ShardRouting shard, ClusterIndex index, Func<string> newAllocationId)
    {
        var inSync = index.InSyncAllocationIds[shard.Shard];
        if (inSync.IsEmpty)
        {
            var (target, _) = Decide(allocation, shard);
            if (target is not null)
            {
                allocation.Replace(shard, shard with { State = ShardRoutingState.Initializing, NodeId = target.Id, AllocationId = newAllocationId(), UnassignedReason = null, UnassignedSince = 0 });
            }

            return;
        }

        // An existing primary only comes back where its in-sync data is: the node that last held it.
        if (shard.LastNodeId is { } last && shard.AllocationId is { } aid && inSync.Contains(aid)
            && allocation.State.Nodes.TryGetValue(last, out var node)
            && AllocationDeciders.Overall(AllocationDeciders.CanAllocate(allocation, shard, node, throttle: false)) != DecisionType.No)
        {
            allocation.Replace(shard, shard with { State = ShardRoutingState.Initializing, NodeId = node.Id, UnassignedReason = null, UnassignedSince = 0 });
        }
    }

    private static void MoveShards(RoutingAllocation allocation, Func<string> newAllocationId)
    {
        foreach (var shard in allocation.Shards.Where(s => s.State == ShardRoutingState.Started).ToList())
        {
            if (!allocation.State.Nodes.TryGetValue(shard.NodeId!, out var node)
                || AllocationDeciders.Overall(AllocationDeciders.CanRemain(allocation, shard, node)) != DecisionType.No)
            {
                continue;
            }

            var (target, _) = Decide(allocation, shard);
            if (target is not null)
            {
                Relocate(allocation, shard, target, newAllocationId);
            }
        }
    }

    private static void Rebalance(RoutingAllocation allocation, Func<string> newAllocationId)
    {
        var settings = allocation.Settings;
        if (settings.RebalanceEnable == "none" || allocation.Shards.Any(s => s.State != ShardRoutingState.Started))
        {
            // As with allow_rebalance=indices_all_active: no rebalancing while anything is still moving or missing.
            return;
        }

        for (var moved = 0; moved < settings.ClusterConcurrentRebalance; moved++)
        {
            var candidates = allocation.DataNodes
                .Where(n => AllocationDeciders.Overall(AllocationDeciders.CanRemain(allocation, new ShardRouting(string.Empty, 0, false, ShardRoutingState.Started, n.Id), n)) == DecisionType.Yes)
                .OrderBy(n => n.Id, StringComparer.Ordinal)
                .ToList();
            if (candidates.Count < 2 || !TryRebalanceOne(allocation, candidates, newAllocationId))
            {
                return;
            }
        }
    }

    private static bool TryRebalanceOne(RoutingAllocation allocation, List<DiscoveryNode> nodes, Func<string> newAllocationId)
    {
        var byLoad = nodes.OrderByDescending(n => allocation.ShardCount(n.Id)).ThenBy(n => n.Id, StringComparer.Ordinal).ToList();
        foreach (var heavy in byLoad)
        {
            foreach (var light in byLoad.AsEnumerable().Reverse())
            {
                if (allocation.ShardCount(heavy.Id) - allocation.ShardCount(light.Id) <= 1)
                {
                    break;
                }

                var movable = allocation.Shards
                    .Where(s => s.NodeId == heavy.Id && s.State == ShardRoutingState.Started)
                    .Where(s => allocation.RebalanceAllows(s))
                    .OrderBy(s => s.Primary)
                    .ThenByDescending(s => allocation.Shards.Count(o => o.NodeId == heavy.Id && o.Index == s.Index))
                    .ThenBy(s => s.Index, StringComparer.Ordinal)
                    .ThenBy(s => s.Shard)
                    .FirstOrDefault(s => AllocationDeciders.Overall(AllocationDeciders.CanAllocate(allocation, s, light)) == DecisionType.Yes);
                if (movable is not null)
                {
                    Relocate(allocation, movable, light, newAllocationId);
                    return true;
                }
            }
        }

        return false;
    }

    private static void Relocate(RoutingAllocation allocation, ShardRouting shard, DiscoveryNode target, Func<string> newAllocationId)
    {
        allocation.Replace(shard, shard with { State = ShardRoutingState.Relocating, RelocatingNodeId = target.Id });
        allocation.Shards.Add(new ShardRouting(shard.Index, shard.Shard, shard.Primary, ShardRoutingState.Initializing, target.Id,
            RelocatingNodeId: shard.NodeId, AllocationId: newAllocationId(), IsRelocationTarget: true));
    }
}
