using Cloud.ElasticsearchNode.Cluster.Allocation;
using Cloud.ElasticsearchNode.Cluster.State;
using FluentAssertions;
using Xunit;

namespace Cloud.ElasticsearchNode.Tests.Cluster.Allocation;

public sealed class AllocationServiceTests
{
    [Fact]
    public void Reroute_ThreeNodesInThreeZones_SpreadsCopiesEvenlyAndByZone()
    {
        var state = States.With(States.Node("a", "z1"), States.Node("b", "z2"), States.Node("c", "z3")).WithIndex("logs", 3, 1).Settle();

        ClusterHealth.Of(state).Status.Should().Be("green");
        state.Routing.Shards.Should().HaveCount(6).And.OnlyContain(s => s.State == ShardRoutingState.Started);
        state.Routing.Shards.GroupBy(s => s.NodeId).Select(g => g.Count()).Should().Equal(2, 2, 2);
        foreach (var shard in state.Routing.Shards.GroupBy(s => s.Shard))
        {
            shard.Select(s => state.ZoneOf(s.NodeId!)).Should().OnlyHaveUniqueItems();
        }

        state.Metadata.Indices["logs"].InSyncAllocationIds.Should().OnlyContain(set => set.Count == 2);
    }

    [Fact]
    public void Reroute_OneNode_NeverPutsTwoCopiesOfAShardOnIt()
    {
        var state = States.With(States.Node("a", "z1")).WithIndex("logs", 2, 1).Settle();

        state.Routing.Shards.Where(s => s.Primary).Should().OnlyContain(s => s.State == ShardRoutingState.Started);
        state.Routing.Shards.Where(s => !s.Primary).Should().OnlyContain(s => s.State == ShardRoutingState.Unassigned);
        ClusterHealth.Of(state).Status.Should().Be("yellow");
        ClusterHealth.Of(state).UnassignedShards.Should().Be(2);
    }

    [Fact]
    public void Reroute_TwoZonesOfTwoNodes_PutsEachShardsCopiesInBothZones()
    {
        var state = States.With(States.Node("a1", "a"), States.Node("a2", "a"), States.Node("b1", "b"), States.Node("b2", "b")).WithIndex("logs", 4, 1).Settle();

        ClusterHealth.Of(state).Status.Should().Be("green");
        foreach (var shard in state.Routing.Shards.GroupBy(s => s.Shard))
        {
            shard.Select(s => state.ZoneOf(s.NodeId!)).Should().BeEquivalentTo(["a", "b"]);
        }
    }

    [Fact]
    public void Reroute_ZoneLost_RebuildsTheReplicaInTheRemainingZoneAsWithoutForcedAwareness()
    {
        // Awareness spreads over the zones the cluster has now; with zone b gone, both copies may live in zone a (on two nodes).
        var state = States.With(States.Node("a1", "a"), States.Node("a2", "a"), States.Node("b1", "b")).WithIndex("logs", 1, 1).Settle();
        state.Routing.Shards.Select(s => state.ZoneOf(s.NodeId!)).Should().BeEquivalentTo(["a", "b"]);

        state = RoutingChanges.RemoveNodes(state, ["id-b1"], 1).Settle();

        ClusterHealth.Of(state).Status.Should().Be("green");
        state.Routing.Shards.Select(s => s.NodeId).Should().BeEquivalentTo(["id-a1", "id-a2"]);
    }

    [Fact]
    public void Reroute_NodeWithoutZoneWhileOthersHaveOne_GetsNoShards()
    {
        var state = States.With(States.Node("a", "z1"), States.Node("b", "z2"), States.Node("nozone", null)).WithIndex("logs", 3, 1).Settle();

        state.Routing.OnNode("id-nozone").Should().BeEmpty();
        ClusterHealth.Of(state).Status.Should().Be("green");
    }

    [Fact]
    public void Reroute_NoNodeHasTheAwarenessAttribute_AllocatesAnyway()
    {
        var state = States.With(States.Node("a", null), States.Node("b", null)).WithIndex("logs", 2, 1).Settle();

        ClusterHealth.Of(state).Status.Should().Be("green");
    }

    [Fact]
    public void Reroute_ExcludeByName_MovesEveryCopyAwayThroughRelocation()
    {
        var state = States.With(States.Node("a", "z1"), States.Node("b", "z2"), States.Node("c", "z3"), States.Node("d", "z1"))
            .WithIndex("logs", 3, 1).Settle();
        var before = state.Routing.OnNode("id-a").Count();
        before.Should().BeGreaterThan(0);

        state = state.WithSetting("cluster.routing.allocation.exclude._name", "a").Reroute();

        state.Routing.OnNode("id-a").Should().OnlyContain(s => s.State == ShardRoutingState.Relocating);
        ClusterHealth.Of(state).RelocatingShards.Should().Be(before);
        ClusterHealth.Of(state).Status.Should().Be("green", "a relocating copy is still active");
        state = state.Settle();
        state.Routing.OnNode("id-a").Should().BeEmpty();
        ClusterHealth.Of(state).Status.Should().Be("green");
        foreach (var shard in state.Routing.Shards.GroupBy(s => s.Shard))
        {
            shard.Select(s => state.ZoneOf(s.NodeId!)).Should().OnlyHaveUniqueItems();
        }
    }

    [Theory]
    [InlineData("cluster.routing.allocation.exclude._id", "id-a")]
    [InlineData("cluster.routing.allocation.exclude._name", "a*")]
    [InlineData("cluster.routing.allocation.exclude._host", "host-a")]
    [InlineData("cluster.routing.allocation.exclude._ip", "10.1.1.1")]
    [InlineData("cluster.routing.allocation.require._name", "b,c,d")]
    [InlineData("cluster.routing.allocation.include._name", "b,c,d")]
    [InlineData("cluster.routing.allocation.exclude.zone", "z1")]
    public void Reroute_FilterExcludingNodeA_LeavesItEmpty(string key, string value)
    {
        var state = States.With(States.Node("a", "z1", ip: "10.1.1.1"), States.Node("b", "z2"), States.Node("c", "z3"), States.Node("d", "z2"))
            .WithIndex("logs", 3, 1).Settle();

        state = state.WithSetting(key, value).Settle();

        state.Routing.OnNode("id-a").Should().BeEmpty();
        state.Routing.Shards.Should().OnlyContain(s => s.State == ShardRoutingState.Started);
    }

    [Theory]
    [InlineData("all", 4, 0)]
    [InlineData("primaries", 2, 2)]
    [InlineData("new_primaries", 2, 2)]
    [InlineData("none", 0, 4)]
    public void Reroute_EnableSetting_LimitsWhatIsAllocated(string enable, int started, int unassigned)
    {
        var state = States.With(States.Node("a", "z1"), States.Node("b", "z2")).WithSetting("cluster.routing.allocation.enable", enable).WithIndex("logs", 2, 1).Settle();

        state.Routing.Shards.Count(s => s.State == ShardRoutingState.Started).Should().Be(started);
        state.Routing.Shards.Count(s => s.State == ShardRoutingState.Unassigned).Should().Be(unassigned);
    }

    [Fact]
    public void Reroute_NewPrimariesOnly_DoesNotReallocateAnExistingPrimaryElsewhere()
    {
        var state = States.With(States.Node("a", null), States.Node("b", null)).WithIndex("logs", 1, 0).Settle();
        var holder = state.Routing.Shards.Single().NodeId!;

        state = RoutingChanges.RemoveNodes(state.WithSetting("cluster.routing.allocation.enable", "new_primaries"), [holder], 1).Settle();

        ClusterHealth.Of(state).Status.Should().Be("red");
        state.Routing.Shards.Single().State.Should().Be(ShardRoutingState.Unassigned);
    }

    [Fact]
    public void Reroute_NodeConcurrentRecoveries_ThrottlesIncomingReplicas()
    {
        var state = States.With(States.Node("a", null)).WithIndex("logs", 6, 1).Settle().AddNodes(States.Node("b", null));

        state = state.Reroute();

        state.Routing.Shards.Count(s => s.State == ShardRoutingState.Initializing).Should().Be(2);
        state.Settle().Routing.Shards.Should().OnlyContain(s => s.State == ShardRoutingState.Started);
    }

    [Fact]
    public void Reroute_NewEmptyNode_RebalancesTowardAnEvenSpread()
    {
        var state = States.With(States.Node("a", null), States.Node("b", null)).WithIndex("logs", 6, 1).Settle();
        state.Routing.OnNode("id-a").Should().HaveCount(6);

        state = state.AddNodes(States.Node("c", null)).Settle();

        state.Routing.Shards.GroupBy(s => s.NodeId).Select(g => g.Count()).Should().Equal(4, 4, 4);
        state.Routing.Shards.GroupBy(s => (s.Shard, s.NodeId)).Should().OnlyContain(g => g.Count() == 1);
    }

    [Fact]
    public void Reroute_RebalanceDisabled_LeavesTheNewNodeEmpty()
    {
        var state = States.With(States.Node("a", null), States.Node("b", null)).WithIndex("logs", 6, 1).Settle()
            .WithSetting("cluster.routing.rebalance.enable", "none");

        state = state.AddNodes(States.Node("c", null)).Settle();

        state.Routing.OnNode("id-c").Should().BeEmpty();
    }

    [Fact]
    public void Reroute_RemoveShutdown_MovesShardsAwayButRestartDoesNot()
    {
        var state = States.With(States.Node("a", null), States.Node("b", null), States.Node("c", null)).WithIndex("logs", 3, 1).Settle();
        var restart = state with { Metadata = state.Metadata with { Shutdowns = state.Metadata.Shutdowns.Add("id-a", new NodeShutdown("id-a", "restart", "r", 0)) } };
        var remove = state with { Metadata = state.Metadata with { Shutdowns = state.Metadata.Shutdowns.Add("id-a", new NodeShutdown("id-a", "remove", "r", 0)) } };

        restart.Settle().Routing.OnNode("id-a").Should().NotBeEmpty();
        remove.Settle().Routing.OnNode("id-a").Should().BeEmpty();
    }

    [Fact]
    public void Reroute_DedicatedMasterNode_HoldsNoShards()
    {
        var state = States.With(States.Node("m", null, roles: "master"), States.Node("d", null)).WithIndex("logs", 2, 0).Settle();

        state.Routing.OnNode("id-m").Should().BeEmpty();
        ClusterHealth.Of(state).Status.Should().Be("green");
    }
}
