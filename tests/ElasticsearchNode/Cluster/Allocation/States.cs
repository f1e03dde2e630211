using System.Collections.Immutable;
using Cloud.ElasticsearchNode.Cluster.Allocation;
using Cloud.ElasticsearchNode.Cluster.State;

namespace Cloud.ElasticsearchNode.Tests.Cluster.Allocation;

/// <summary>Builds cluster states for allocation tables and drives them the way the master does.</summary>
internal static class States
{
    public static DiscoveryNode Node(string name, string? zone, string roles = "master,data", string? ip = null)
    {
        var attributes = zone is null
            ? ImmutableSortedDictionary<string, string>.Empty
            : ImmutableSortedDictionary<string, string>.Empty.Add("zone", zone);
        var address = (ip ?? "10.0.0." + (name.GetHashCode(StringComparison.Ordinal) & 0x7f)) + ":9300";
        return new DiscoveryNode("id-" + name, name, address, null, "host-" + name, [.. roles.Split(',')], attributes);
    }

    public static ClusterState With(params DiscoveryNode[] nodes) =>
        ClusterState.Empty("test") with { Nodes = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, nodes.Select(n => KeyValuePair.Create(n.Id, n))) };

    public static ClusterState AddNodes(this ClusterState state, params DiscoveryNode[] nodes) =>
        state with { Nodes = state.Nodes.SetItems(nodes.Select(n => KeyValuePair.Create(n.Id, n))) };

    public static ClusterState WithIndex(this ClusterState state, string name, int shards, int replicas, params (string Key, string Value)[] settings) =>
        RoutingChanges.AddIndex(state, ClusterIndex.Create(name, "uuid-" + name, shards, replicas, 0,
            ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, settings.Select(s => KeyValuePair.Create(s.Key, s.Value))), null), 0);

    public static ClusterState WithSetting(this ClusterState state, string key, string value) =>
        state with { Metadata = state.Metadata with { PersistentSettings = state.Metadata.PersistentSettings.SetItem(key, value) } };

    public static ClusterState Reroute(this ClusterState state)
    {
        var counter = state.Routing.Shards.Count(s => s.AllocationId is not null) + state.Version * 1000;
        return AllocationService.Reroute(state, () => "aid-" + (++counter)) with { Version = state.Version + 1 };
    }

    /// <summary>Starts every initializing copy (recovery done) and reroutes.</summary>
    public static ClusterState StartAll(this ClusterState state)
    {
        foreach (var copy in state.Routing.Shards.Where(s => s.State == ShardRoutingState.Initializing).ToList())
        {
            state = RoutingChanges.StartShard(state, copy.Id, copy.AllocationId!);
        }

        return state.Reroute();
    }

    /// <summary>Reroutes and starts until nothing changes (the cluster settles).</summary>
    public static ClusterState Settle(this ClusterState state)
    {
        state = state.Reroute();
        for (var i = 0; i < 50 && state.Routing.Shards.Any(s => s.State == ShardRoutingState.Initializing); i++)
        {
            state = state.StartAll();
        }

        return state;
    }

    public static string NameOf(this ClusterState state, string? nodeId) => nodeId is null ? "-" : state.Nodes[nodeId].Name;

    public static string ZoneOf(this ClusterState state, string nodeId) => state.Nodes[nodeId].Attribute("zone") ?? "-";
}
