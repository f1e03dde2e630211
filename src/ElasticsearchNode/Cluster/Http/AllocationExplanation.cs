using Cloud.ElasticsearchNode.Cluster.Allocation;
using Cloud.ElasticsearchNode.Cluster.State;

namespace Cloud.ElasticsearchNode.Cluster.Http;

/// <summary><c>_cluster/allocation/explain</c>: where a copy is, or why it is not anywhere, decider by decider per node.</summary>
internal static class AllocationExplanation
{
    public static Dictionary<string, object?> Of(ClusterState state, ShardRouting shard)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(shard);
        var allocation = new RoutingAllocation(state);
        var result = new Dictionary<string, object?>
        {
            ["index"] = shard.Index,
            ["shard"] = shard.Shard,
            ["primary"] = shard.Primary,
            ["current_state"] = shard.State.ToString().ToLowerInvariant(),
        };
        if (shard.State == ShardRoutingState.Unassigned)
        {
            var (target, decisions) = AllocationService.Decide(allocation, shard);
            result["unassigned_info"] = new { reason = shard.UnassignedReason, at = DateTimeOffset.FromUnixTimeMilliseconds(shard.UnassignedSince).ToString("O"), last_allocation_status = "no" };
            result["can_allocate"] = target is not null ? "yes" : decisions.Any(d => AllocationDeciders.Overall(d.Decisions) == DecisionType.Throttle) ? "throttled" : "no";
            result["allocate_explanation"] = target is not null
                ? "Elasticsearch can allocate the shard."
                : "Elasticsearch isn't allowed to allocate this shard to any of the nodes in the cluster. Choose a node to which you expect this shard to be allocated, find this node in the node-by-node explanation, and address the reasons which prevent Elasticsearch from allocating this shard there.";
            result["node_allocation_decisions"] = decisions.Select(d => NodeDecision(d.Node, d.Decisions)).ToList();
            return result;
        }

        var node = state.Nodes.TryGetValue(shard.NodeId!, out var n) ? n : null;
        result["current_node"] = node is null ? null : new { id = node.Id, name = node.Name, transport_address = node.TransportAddress, attributes = node.Attributes };
        if (node is not null)
        {
            var remain = AllocationDeciders.CanRemain(allocation, shard, node);
            var canRemain = AllocationDeciders.Overall(remain) != DecisionType.No;
            result["can_remain_on_current_node"] = canRemain ? "yes" : "no";
            if (!canRemain)
            {
                result["can_remain_decisions"] = remain.Where(d => d.Type == DecisionType.No).Select(Describe).ToList();
            }

            result["can_rebalance_cluster"] = allocation.RebalanceAllows(shard) ? "yes" : "no";
            result["node_allocation_decisions"] = allocation.DataNodes.Where(d => d.Id != node.Id)
                .Select(d => NodeDecision(d, AllocationDeciders.CanAllocate(allocation, shard, d))).ToList();
        }

        return result;
    }

    private static Dictionary<string, object?> NodeDecision(DiscoveryNode node, IReadOnlyCollection<Decision> decisions) => new()
    {
        ["node_id"] = node.Id,
        ["node_name"] = node.Name,
        ["transport_address"] = node.TransportAddress,
        ["node_attributes"] = node.Attributes,
        ["node_decision"] = AllocationDeciders.Overall(decisions) switch { DecisionType.Yes => "yes", DecisionType.Throttle => "throttled", _ => "no" },
        ["deciders"] = decisions.Where(d => d.Type != DecisionType.Yes).Select(Describe).ToList(),
    };

    private static object Describe(Decision d) => new { decider = d.Decider, decision = d.Type.ToString().ToUpperInvariant(), explanation = d.Explanation };
}
