using Cloud.ElasticsearchNode.Cluster.Allocation;
using Cloud.ElasticsearchNode.Cluster.State;
using FluentAssertions;
using Xunit;

namespace Cloud.ElasticsearchNode.Tests.Cluster.Allocation;

public sealed class RoutingChangesTests
{
    [Fact]
    public void RemoveNodes_PrimaryHolderLeaves_PromotesInSyncReplicaAndBumpsPrimaryTerm()
    {
        var state = States.With(States.Node("a", "z1"), States.Node("b", "z2"), States.Node("c", "z3")).WithIndex("logs", 3, 1).Settle();
        var primaries = state.Routing.OnNode("id-a").Where(s => s.Primary).Select(s => s.Shard).ToList();
        primaries.Should().NotBeEmpty();

        state = RoutingChanges.RemoveNodes(state, ["id-a"], 1);

        state.Nodes.Should().NotContainKey("id-a");
        ClusterHealth.Of(state).Status.Should().Be("yellow");
        foreach (var shard in primaries)
        {
            state.Metadata.Indices["logs"].PrimaryTerms[shard].Should().Be(2);
            state.Routing.PrimaryOf(new ShardId("logs", shard))!.State.Should().Be(ShardRoutingState.Started);
        }

        state.Settle().Routing.Shards.Should().OnlyContain(s => s.State == ShardRoutingState.Started, "the lost replicas are rebuilt on the remaining nodes");
    }

    [Fact]
    public void RemoveNodes_OnlyCopyLost_RedUntilThatNodeReturnsThenTheSameCopyComesBack()
    {
        var a = States.Node("a", null);
        var state = States.With(a, States.Node("b", null)).WithIndex("logs", 2, 0).Settle();
        var lost = state.Routing.OnNode("id-a").Single();

        state = RoutingChanges.RemoveNodes(state, ["id-a"], 1).Settle();
        ClusterHealth.Of(state).Status.Should().Be("red");
        state.Routing.OnNode("id-b").Should().ContainSingle("the lost primary must not start empty elsewhere");

        state = state.AddNodes(a).Settle();
        ClusterHealth.Of(state).Status.Should().Be("green");
        state.Routing.OnNode("id-a").Single().AllocationId.Should().Be(lost.AllocationId);
    }

    [Fact]
    public void RemoveNodes_RelocationTargetLeaves_SourceCarriesOn()
    {
        var state = States.With(States.Node("a", null), States.Node("b", null)).WithIndex("logs", 1, 0).Settle();
        var holder = state.Routing.Shards.Single().NodeId!;
        var other = holder == "id-a" ? "id-b" : "id-a";
        state = state.WithSetting("cluster.routing.allocation.exclude._id", holder).Reroute();
        state.Routing.Shards.Should().HaveCount(2);

        state = RoutingChanges.RemoveNodes(state, [other], 1);

        state.Routing.Shards.Should().ContainSingle().Which.Should().Match<ShardRouting>(s => s.State == ShardRoutingState.Started && s.NodeId == holder);
    }

    [Fact]
    public void StartShard_RelocationTarget_ReplacesTheSourceAndItsInSyncId()
    {
        var state = States.With(States.Node("a", null), States.Node("b", null)).WithIndex("logs", 1, 0).Settle();
        var source = state.Routing.Shards.Single();
        state = state.WithSetting("cluster.routing.allocation.exclude._id", source.NodeId!).Reroute();
        var target = state.Routing.Shards.Single(s => s.IsRelocationTarget);

        state = RoutingChanges.StartShard(state, target.Id, target.AllocationId!);

        state.Routing.Shards.Should().ContainSingle().Which.Should().Match<ShardRouting>(s => s.Primary && s.NodeId == target.NodeId && s.State == ShardRoutingState.Started);
        state.Metadata.Indices["logs"].InSyncAllocationIds[0].Should().BeEquivalentTo([target.AllocationId]);
    }

    [Fact]
    public void SetReplicas_Fewer_DropsReplicasAndTrimsInSync()
    {
        var state = States.With(States.Node("a", null), States.Node("b", null), States.Node("c", null)).WithIndex("logs", 1, 2).Settle();

        state = RoutingChanges.SetReplicas(state, "logs", 1, 1).Settle();

        state.Routing.Shards.Should().HaveCount(2);
        state.Metadata.Indices["logs"].InSyncAllocationIds[0].Should().HaveCount(2);
        ClusterHealth.Of(state).Status.Should().Be("green");
    }

    [Fact]
    public void Health_CountsEachKindOfCopy()
    {
        var state = States.With(States.Node("a", null)).WithIndex("logs", 2, 1).Reroute();

        var health = ClusterHealth.Of(state);

        health.Status.Should().Be("red");
        health.InitializingShards.Should().Be(2);
        health.UnassignedShards.Should().Be(2);
        health.ActiveShards.Should().Be(0);
    }
}
