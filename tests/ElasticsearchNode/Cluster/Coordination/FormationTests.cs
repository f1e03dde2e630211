using Cloud.ElasticsearchNode.Cluster;
using Cloud.ElasticsearchNode.Cluster.Allocation;
using Cloud.ElasticsearchNode.Cluster.Coordination;
using Cloud.ElasticsearchNode.Cluster.State;
using Cloud.Testing;
using FluentAssertions;
using Xunit;

namespace Cloud.ElasticsearchNode.Tests.Cluster.Coordination;

public sealed class FormationTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ThreeNodes_Bootstrap_ElectOneMasterWithOneClusterUuid()
    {
        await using var cluster = new TestCluster("n1", "n2", "n3");
        cluster.Start("n1", "z1");
        cluster.Start("n2", "z2");
        cluster.Start("n3", "z3");

        var master = await cluster.StableAsync(3);

        var uuids = await Eventually.GetAsync(() =>
        {
            var all = cluster.Nodes.Values.Select(n => n.State).ToList();
            return Task.FromResult(all.All(s => s.ClusterUuidCommitted) ? all.Select(s => s.ClusterUuid).Distinct().ToList() : null);
        }, Deadline, "the cluster uuid to be committed everywhere");
        uuids.Should().ContainSingle().Which.Should().NotBe(ClusterState.UnknownUuid);
        master.State.Coordination.LastAcceptedConfig.Should().BeEquivalentTo(cluster.Nodes.Values.Select(n => n.LocalNode.Id));
        cluster.Nodes.Values.Count(n => n.Coordinator.Mode == CoordinatorMode.Leader).Should().Be(1);
        File.ReadAllText(Path.Combine(cluster.DataOf("n1"), "_state", "coordination.json")).Should().Contain(uuids[0]);
    }

    [Fact]
    public async Task MasterStops_TheOtherTwoElectANewMasterInALaterTermAndDropIt()
    {
        await using var cluster = new TestCluster("n1", "n2", "n3");
        foreach (var name in new[] { "n1", "n2", "n3" })
        {
            cluster.Start(name);
        }

        var master = await cluster.StableAsync(3);
        var term = master.Coordinator.CurrentTerm;
        var started = DateTime.UtcNow;

        await cluster.StopAsync(master.Options.NodeName);
        var next = await cluster.StableAsync(2);

        next.LocalNode.Id.Should().NotBe(master.LocalNode.Id);
        next.Coordinator.CurrentTerm.Should().BeGreaterThan(term);
        (DateTime.UtcNow - started).Should().BeLessThan(TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task NodeRestartsOnItsData_RejoinsAsTheSameNodeOfTheSameCluster()
    {
        await using var cluster = new TestCluster("n1", "n2", "n3");
        foreach (var each in new[] { "n1", "n2", "n3" })
        {
            cluster.Start(each);
        }

        await cluster.StableAsync(3);
        var follower = cluster.Nodes.Values.First(n => n.Coordinator.Mode == CoordinatorMode.Follower);
        var name = follower.Options.NodeName;
        var id = follower.LocalNode.Id;
        var uuid = await Eventually.GetAsync(() => Task.FromResult(follower.State.ClusterUuidCommitted ? follower.State.ClusterUuid : null), Deadline, "uuid");
        await cluster.StopAsync(name);
        await cluster.StableAsync(2);

        var restarted = cluster.Start(name);
        await cluster.StableAsync(3);

        restarted.LocalNode.Id.Should().Be(id);
        restarted.State.ClusterUuid.Should().Be(uuid);
    }

    [Fact]
    public async Task TwoOfThreeStop_TheLoneNodeHasNoMasterAndRefusesMasterOperations()
    {
        await using var cluster = new TestCluster("n1", "n2", "n3");
        foreach (var name in new[] { "n1", "n2", "n3" })
        {
            cluster.Start(name);
        }

        await cluster.StableAsync(3);
        var lone = cluster.Nodes["n3"];
        await cluster.StopAsync("n1");
        await cluster.StopAsync("n2");

        await Eventually.AssertAsync(() => Task.FromResult(!lone.Coordinator.HasMaster), Deadline, "the lone node to lose its master");
        var act = () => lone.RunOnMasterAsync(new MasterOperation(MasterOperation.CreateIndex, "logs"), CancellationToken.None);
        (await act.Should().ThrowAsync<ClusterException>()).Which.Status.Should().Be(503);
    }

    [Fact]
    public async Task NodeOfAnotherClusterName_IsRefusedAndNeverJoins()
    {
        await using var cluster = new TestCluster("n1", "n2");
        cluster.Start("n1");
        cluster.Start("n2");
        var master = await cluster.StableAsync(2);

        var stranger = cluster.Start("x1", seeds: [cluster.AddressOf("n1")], clusterName: "other-cluster");
        await cluster.Nodes["n1"].Coordinator.WaitForAsync(_ => false, TimeSpan.FromSeconds(3), CancellationToken.None);

        master.State.Nodes.Values.Should().NotContain(n => n.Name == "x1");
        stranger.Coordinator.HasMaster.Should().BeFalse();
        var act = () => stranger.Transport.SendAsync<PeersRequest, PeersResponse>(cluster.AddressOf("n1"), CoordinationActions.Peers, new PeersRequest(stranger.LocalNode, []), null, CancellationToken.None);
        (await act.Should().ThrowAsync<Cloud.ElasticsearchNode.Cluster.Transport.TransportException>()).Which.Message.Should().Contain("other-cluster");
    }

    [Fact]
    public async Task FileSeedProvider_ANodeWithoutSeedsJoinsOnceTheFileListsAPeer()
    {
        await using var cluster = new TestCluster("n1");
        cluster.Start("n1");
        await cluster.StableAsync(1);
        var file = Path.Combine(cluster.DataOf("late-config"), "unicast_hosts.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllTextAsync(file, "# nothing yet\n");

        var late = cluster.Start("late", seeds: [], unicastFile: file);
        await late.Coordinator.WaitForAsync(_ => false, TimeSpan.FromSeconds(2), CancellationToken.None);
        late.Coordinator.HasMaster.Should().BeFalse();
        await File.WriteAllTextAsync(file, cluster.AddressOf("n1") + "\n");

        await cluster.StableAsync(2);
    }

    [Fact]
    public async Task IndexOnThreeZones_TurnsGreenWithCopiesSpreadByZone_AndAKilledHolderIsFailedOver()
    {
        await using var cluster = new TestCluster("n1", "n2", "n3");
        cluster.Start("n1", "z1");
        cluster.Start("n2", "z2");
        cluster.Start("n3", "z3");
        await cluster.StableAsync(3);

        await cluster.Nodes["n2"].RunOnMasterAsync(new MasterOperation(MasterOperation.CreateIndex, "logs", Shards: 3, Replicas: 1), CancellationToken.None);
        var (green, state) = await cluster.Nodes["n1"].Coordinator.WaitForAsync(s => s.Metadata.Indices.ContainsKey("logs") && ClusterHealth.Of(s).Status == "green", Deadline, CancellationToken.None);

        green.Should().BeTrue();
        foreach (var shard in state.Routing.Shards.GroupBy(s => s.Shard))
        {
            shard.Select(s => state.Nodes[s.NodeId!].Attribute("zone")).Should().OnlyHaveUniqueItems();
        }

        var master = await cluster.StableAsync(3);
        var victim = cluster.Nodes.Values.First(n => n != master && state.Routing.OnNode(n.LocalNode.Id).Any(s => s.Primary));
        var victimId = victim.LocalNode.Id;
        await cluster.StopAsync(victim.Options.NodeName);

        var (failedOver, after) = await master.Coordinator.WaitForAsync(s => !s.Nodes.ContainsKey(victimId), Deadline, CancellationToken.None);
        failedOver.Should().BeTrue();
        ClusterHealth.Of(after).Status.Should().NotBe("red");
        after.Routing.Shards.Where(s => s.Primary).Should().OnlyContain(s => s.Active);
        after.Metadata.Indices["logs"].PrimaryTerms.Should().Contain(2);
    }
}
