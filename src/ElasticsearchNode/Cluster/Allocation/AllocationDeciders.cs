using System.Collections.Immutable;
using Cloud.ElasticsearchNode.Cluster.State;

namespace Cloud.ElasticsearchNode.Cluster.Allocation;

/// <summary>
/// Whether a copy may go to (or stay on) a node, decider by decider as Elasticsearch explains it:
/// data role, same shard, filters, node shutdown, awareness, enable, and recovery throttling.
/// </summary>
internal static class AllocationDeciders
{
    /// <summary>Every decider's verdict for putting <paramref name="shard"/> on <paramref name="node"/>.</summary>
    public static ImmutableArray<Decision> CanAllocate(RoutingAllocation allocation, ShardRouting shard, DiscoveryNode node, bool throttle = true)
    {
        ArgumentNullException.ThrowIfNull(allocation);
        ArgumentNullException.ThrowIfNull(shard);
        ArgumentNullException.ThrowIfNull(node);
        var decisions = ImmutableArray.CreateBuilder<Decision>();
        decisions.Add(node.IsDataNode
            ? Decision.Yes("data_tier", "node has a data role")
            : Decision.No("data_tier", "node does not have a data role"));
        decisions.Add(SameShard(allocation, shard, node));
        decisions.Add(Filter(allocation, shard, node));
        decisions.Add(Shutdown(allocation, node));
        decisions.Add(Awareness(allocation, shard, node));
        decisions.Add(Enable(allocation, shard));
        if (throttle)
        {
            decisions.Add(Throttling(allocation, shard, node));
        }

        return decisions.ToImmutable();
    }

    public static ImmutableArray<Decision> CanRemain(RoutingAllocation allocation, ShardRouting shard, DiscoveryNode node)
    {
        ArgumentNullException.ThrowIfNull(allocation);
        ArgumentNullException.ThrowIfNull(shard);
        ArgumentNullException.ThrowIfNull(node);
        return
        [
            node.IsDataNode ? Decision.Yes("data_tier", "node has a data role") : Decision.No("data_tier", "node does not have a data role"),
            Filter(allocation, shard, node),
            Shutdown(allocation, node),
        ];
    }

    public static DecisionType Overall(IEnumerable<Decision> decisions)
    {
        var worst = DecisionType.Yes;
        foreach (var decision in decisions)
        {
            if (decision.Type > worst)
            {
                worst = decision.Type;
            }
        }

        return worst;
    }

    private static Decision SameShard(RoutingAllocation allocation, ShardRouting shard, DiscoveryNode node) =>
        allocation.CopiesOf(shard.Id).Any(s => !ReferenceEquals(s, shard) && s != shard && s.NodeId == node.Id)
            ? Decision.No("same_shard", $"a copy of this shard is already allocated to this node [{shard.Id}]")
            : Decision.Yes("same_shard", "this node does not hold a copy of this shard");

    private static Decision Filter(RoutingAllocation allocation, ShardRouting shard, DiscoveryNode node)
    {
        var refusal = allocation.Settings.Filters.Refusal(node, "cluster");
        if (refusal is null && allocation.Index(shard.Index) is { } index)
        {
            refusal = NodeFilters.From("index.routing.allocation.", index.Setting, index.Settings.Keys).Refusal(node, "index");
        }

        return refusal is null
            ? Decision.Yes("filter", "node passes include/exclude/require filters")
            : Decision.No("filter", refusal);
    }

    private static Decision Shutdown(RoutingAllocation allocation, DiscoveryNode node) =>
        allocation.State.Metadata.Shutdowns.TryGetValue(node.Id, out var shutdown) && shutdown.IsRemove
            ? Decision.No("node_shutdown", $"node [{node.Id}] is preparing to be removed from the cluster")
            : Decision.Yes("node_shutdown", "this node is not shutting down");

    private static Decision Awareness(RoutingAllocation allocation, ShardRouting shard, DiscoveryNode node)
    {
        var index = allocation.Index(shard.Index);
        if (index is null || allocation.Settings.AwarenessAttributes.IsDefaultOrEmpty)
        {
            return Decision.Yes("awareness", "allocation awareness is not enabled");
        }

        var copies = index.NumberOfReplicas + 1;
        foreach (var attribute in allocation.Settings.AwarenessAttributes)
        {
            var values = allocation.DataNodes.Select(n => n.Attribute(attribute)).Where(v => v is not null).Distinct(StringComparer.Ordinal).Count();
            if (values == 0)
            {
                // No node carries the attribute (e.g. a single test node): awareness has nothing to spread over.
                continue;
            }

            var value = node.Attribute(attribute);
            if (value is null)
            {
                return Decision.No("awareness", $"node does not contain the awareness attribute [{attribute}]; required attributes cluster setting [{AllocationSettings.AwarenessKey}={string.Join(',', allocation.Settings.AwarenessAttributes)}]");
            }

            var nodesById = allocation.State.Nodes;
            var sameValue = allocation.CopiesOf(shard.Id)
                .Where(s => s != shard && s.NodeId is not null && s.State != ShardRoutingState.Relocating) // a moving copy counts where it goes
                .Count(s => nodesById.TryGetValue(s.NodeId!, out var holder) && string.Equals(holder.Attribute(attribute), value, StringComparison.Ordinal));
            var maximum = (copies + values - 1) / values;
            if (sameValue + 1 > maximum)
            {
                return Decision.No("awareness", $"there are [{sameValue}] copies of this shard and [{copies}] total configured shard copies for this shard id and [{values}] total attribute values, expected the allocated shard count per attribute [{sameValue + 1}] to be less than or equal to the upper bound of the required number of shards per attribute [{maximum}]");
            }
        }

        return Decision.Yes("awareness", "node meets all awareness attribute requirements");
    }

    private static Decision Enable(RoutingAllocation allocation, ShardRouting shard)
    {
        var enable = allocation.Settings.Enable;
        var isNewPrimary = shard.Primary && allocation.Index(shard.Index) is { } index && index.InSyncAllocationIds[shard.Shard].IsEmpty;
        var allowed = enable switch
        {
            "none" => false,
            "primaries" => shard.Primary,
            "new_primaries" => isNewPrimary,
            _ => true,
        };
        return allowed
            ? Decision.Yes("enable", $"all allocations are allowed under [{AllocationSettings.EnableKey}={enable}]")
            : Decision.No("enable", $"{(shard.Primary ? "primary" : "replica")} allocations are forbidden due to cluster setting [{AllocationSettings.EnableKey}={enable}]");
    }

    private static Decision Throttling(RoutingAllocation allocation, ShardRouting shard, DiscoveryNode node)
    {
        var isPeerRecovery = !shard.Primary || shard.State != ShardRoutingState.Unassigned;
        if (!isPeerRecovery)
        {
            return Decision.Yes("throttling", "primaries recover from their own store and are not throttled");
        }

        var limit = allocation.Settings.NodeConcurrentRecoveries;
        var incoming = allocation.IncomingRecoveries(node.Id);
        return incoming >= limit
            ? Decision.Throttle("throttling", $"reached the limit of incoming shard recoveries [{incoming}], cluster setting [{AllocationSettings.ConcurrentRecoveriesKey}={limit}]")
            : Decision.Yes("throttling", "below shard recovery limit");
    }
}
