using Cloud.ElasticsearchNode.Cluster.State;

namespace Cloud.ElasticsearchNode.Cluster.Allocation;

/// <summary>The working copy one reroute changes: the shard list and what the deciders read.</summary>
internal sealed class RoutingAllocation
{
    public RoutingAllocation(ClusterState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        State = state;
        Settings = AllocationSettings.From(state.Metadata);
        Shards = [.. state.Routing.Shards];
    }

    public ClusterState State { get; }

    public AllocationSettings Settings { get; }

    public List<ShardRouting> Shards { get; }

    public IEnumerable<DiscoveryNode> DataNodes => State.DataNodes;

    public ClusterIndex? Index(string name) => State.Metadata.Indices.TryGetValue(name, out var index) ? index : null;

    public IEnumerable<ShardRouting> CopiesOf(ShardId id) => Shards.Where(s => s.Index == id.Index && s.Shard == id.Shard);

    /// <summary>Copies that count against a node: everything assigned there, relocation targets included.</summary>
    public int ShardCount(string nodeId) => Shards.Count(s => s.NodeId == nodeId);

    public int IncomingRecoveries(string nodeId) =>
        Shards.Count(s => s.NodeId == nodeId && s.State == ShardRoutingState.Initializing && (s.IsRelocationTarget || !s.Primary));

    public void Replace(ShardRouting old, ShardRouting updated)
    {
        var i = Shards.IndexOf(old);
        Shards[i] = updated;
    }

    /// <summary>cluster.routing.rebalance.enable: all, primaries, replicas or none.</summary>
    public bool RebalanceAllows(ShardRouting shard) => Settings.RebalanceEnable switch
    {
        "none" => false,
        "primaries" => shard.Primary,
        "replicas" => !shard.Primary,
        _ => true,
    };
}
