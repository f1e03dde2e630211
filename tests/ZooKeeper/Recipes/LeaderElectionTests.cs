using Cloud.ZooKeeper.Recipes;
using FluentAssertions;

namespace Cloud.ZooKeeper.Tests.Recipes;

[Collection(ZooKeeperCollection.Name)]
[Trait("Category", "Integration")]
public sealed class LeaderElectionTests(ZooKeeperServerFixture zk)
{
    [Fact]
    public async Task AcquireAsync_TwoParticipants_OneLeadsUntilHandOver()
    {
        await using var first = await zk.ConnectAsync();
        await using var second = await zk.ConnectAsync();
        var path = ZooKeeperServerFixture.UniqueRoot() + "/leader";
        var electionA = new LeaderElection(first, path, "a");
        var electionB = new LeaderElection(second, path, "b");

        var leadershipA = await electionA.AcquireAsync();
        var pendingB = electionB.AcquireAsync();
        await Task.Delay(300);

        pendingB.IsCompleted.Should().BeFalse();
        (await electionB.GetLeaderIdAsync()).Should().Be("a");
        await leadershipA.DisposeAsync();
        await using var leadershipB = await pendingB.WaitAsync(TimeSpan.FromSeconds(10));
        leadershipA.IsLost.Should().BeTrue();
        leadershipB.IsLost.Should().BeFalse();
        (await electionA.GetLeaderIdAsync()).Should().Be("b");
    }

    [Fact]
    public async Task Leader_SessionClosed_NextParticipantLeads()
    {
        var first = await zk.ConnectAsync();
        await using var second = await zk.ConnectAsync();
        var path = ZooKeeperServerFixture.UniqueRoot() + "/leader";
        await new LeaderElection(first, path, "a").AcquireAsync();
        var pendingB = new LeaderElection(second, path, "b").AcquireAsync();

        await first.DisposeAsync();

        await using var leadershipB = await pendingB.WaitAsync(TimeSpan.FromSeconds(10));
        leadershipB.ParticipantId.Should().Be("b");
    }

    [Fact]
    public async Task AcquireAsync_Cancelled_RemovesItsNode()
    {
        await using var client = await zk.ConnectAsync();
        await using var other = await zk.ConnectAsync();
        var path = ZooKeeperServerFixture.UniqueRoot() + "/leader";
        await using var held = await new LeaderElection(other, path, "a").AcquireAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        var act = () => new LeaderElection(client, path, "b").AcquireAsync(cts.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
        (await client.GetChildrenAsync(path)).Children.Should().HaveCount(1);
    }
}
