using Cloud.Shared.Containers;
using Cloud.Shared.Coordination;
using Cloud.Testing;
using Cloud.ZooKeeper;
using FluentAssertions;
using Xunit;

namespace Cloud.Runner.Tests.Integration;

[Collection(RunnerIntegrationCollection.Name)]
[Trait("Category", "Integration")]
public sealed class CoordinationOutageTests(ZooKeeperFixture shared)
{
    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ZooKeeperDown_LongerThanSessionTimeout_ContainersKeepRunningAndNothingRecreated()
    {
        _ = shared;
        await using var server = await ZooKeeperServer.StartAsync();
        await using var client = await ZooKeeperFixture.ConnectAsync(server.ConnectString);
        await using var host = new RunnerTestHost(client);
        var names = new[] { host.ContainerName("a"), host.ContainerName("b") };
        foreach (var name in names)
        {
            await host.WriteAsync(name, host.Elasticsearch(name, FreePorts.Next()));
        }

        await using var runner = await RunnerHost.StartAsync(host.HostId, host.DataRoot, server.ConnectString);
        var before = new Dictionary<string, ContainerObservation>();
        foreach (var name in names)
        {
            before[name] = await host.WaitForStateAsync(name, ContainerStates.Running, Converge);
        }

        var ownerBefore = (await client.ExistsAsync(CloudPaths.Runner(host.HostId), null, CancellationToken.None))!.EphemeralOwner;
        await server.StopAsync();
        var outage = TimeSpan.FromSeconds(RunnerHost.SessionTimeoutSeconds * 3);
        var end = DateTime.UtcNow + outage;
        while (DateTime.UtcNow < end)
        {
            foreach (var name in names)
            {
                (await RunnerTestHost.DockerInspectAsync(name, "{{.State.Status}} {{.Id}}")).Should().Be($"running {before[name].ContainerId}", "losing coordination never stops a workload");
            }

            await Task.Delay(500);
        }

        await server.StartAgainAsync();
        await Eventually.AssertAsync(
            async () => await client.ExistsAsync(CloudPaths.Runner(host.HostId), null, CancellationToken.None) is { } stat && stat.EphemeralOwner != ownerBefore,
            Converge,
            "the runner to register again in a new session (the old one expired)");

        // After reconnecting the runner acts again (a new definition is created), and what ran before is untouched.
        var late = host.ContainerName("late");
        await host.WriteAsync(late, host.Elasticsearch(late, FreePorts.Next()));
        await host.WaitForStateAsync(late, ContainerStates.Running, Converge);
        foreach (var name in names)
        {
            var after = await host.InspectAsync(name);
            after!.ContainerId.Should().Be(before[name].ContainerId);
            after.StartedAt.Should().Be(before[name].StartedAt);
            after.RestartCount.Should().Be(0);
        }

        (await host.DockerContainersAsync()).Should().HaveCount(3);
    }

    [Fact]
    public async Task Start_RegistrationFails_RunnerKeepsRetryingAndActsOnceZooKeeperAllowsIt()
    {
        _ = shared;
        await using var server = await ZooKeeperServer.StartAsync();
        await using var client = await ZooKeeperFixture.ConnectAsync(server.ConnectString);
        await using var host = new RunnerTestHost(client);
        var name = host.ContainerName("patient");
        await host.WriteAsync(name, host.Elasticsearch(name, FreePorts.Next()));

        // Nobody but "other" may create under /cloud/runners: registering fails with NoAuth.
        await client.CreateAsync(CloudPaths.Runners, [], CreateMode.Persistent, [Acl.Digest("other", "secret", Permissions.All), new Acl(Permissions.Read, "world", "anyone")]);
        await using var runner = await RunnerHost.StartAsync(host.HostId, host.DataRoot, server.ConnectString);
        await Eventually.AssertAsync(() => Task.FromResult(runner.Service.FollowFailures >= 2), Converge, "the runner to have tried to register, and failed, twice");
        (await client.ExistsAsync(CloudPaths.Runner(host.HostId), null, CancellationToken.None)).Should().BeNull("registration is refused for now");
        (await host.DockerContainersAsync()).Should().BeEmpty("a runner that does not hold its host acts on nothing");

        await client.DeleteAsync(CloudPaths.Runners);

        await Eventually.AssertAsync(async () => await client.ExistsAsync(CloudPaths.Runner(host.HostId), null, CancellationToken.None) is not null, Converge, "the runner to register once it may");
        await host.WaitForStateAsync(name, ContainerStates.Running, Converge);
    }

    [Fact]
    public async Task Start_AgainstZooKeeperWithoutThisHost_KeepsContainersUntilItsDefinitionsNodeExists()
    {
        _ = shared;
        await using var server = await ZooKeeperServer.StartAsync();
        await using var client = await ZooKeeperFixture.ConnectAsync(server.ConnectString);
        await using var host = new RunnerTestHost(client);
        var name = host.ContainerName("kept");
        await host.WriteAsync(name, host.Elasticsearch(name, FreePorts.Next()));
        string containerId;
        await using (await RunnerHost.StartAsync(host.HostId, host.DataRoot, server.ConnectString))
        {
            containerId = (await host.WaitForStateAsync(name, ContainerStates.Running, Converge)).ContainerId!;
        }

        // The runner comes back pointed at a ZooKeeper that knows nothing of its host (wiped, or the wrong one).
        await using var empty = await ZooKeeperServer.StartAsync();
        await using var emptyClient = await ZooKeeperFixture.ConnectAsync(empty.ConnectString);
        await using var runner = await RunnerHost.StartAsync(host.HostId, host.DataRoot, empty.ConnectString);
        await Eventually.AssertAsync(async () => await emptyClient.ExistsAsync(CloudPaths.Runner(host.HostId), null, CancellationToken.None) is not null, Converge, "the runner to register");
        await Eventually.AssertAsync(() => Task.FromResult(runner.Service.LastPass is not null), Converge, "a reconcile pass");
        var passes = runner.Service.LastPass;
        await Eventually.AssertAsync(() => Task.FromResult(!ReferenceEquals(runner.Service.LastPass, passes)), Converge, "another pass");

        (await RunnerTestHost.DockerInspectAsync(name, "{{.State.Status}} {{.Id}}")).Should().Be($"running {containerId}", "a missing definitions node is not an order to remove everything");
        (await emptyClient.ExistsAsync(CloudPaths.ContainersOf(host.HostId), null, CancellationToken.None)).Should().BeNull("the runner never creates its own definitions node");

        // An existing but empty definitions node is an order: the host should run nothing.
        await emptyClient.CreateRecursiveAsync(CloudPaths.ContainersOf(host.HostId), null, CancellationToken.None);
        await Eventually.AssertAsync(async () => (await host.DockerContainersAsync()).Count == 0, Converge, "the container to be removed");
    }

    [Fact]
    public async Task Start_HostHeldByAnotherSession_ActsOnlyOnceItHoldsTheHost()
    {
        _ = shared;
        await using var server = await ZooKeeperServer.StartAsync();
        await using var client = await ZooKeeperFixture.ConnectAsync(server.ConnectString);
        await using var host = new RunnerTestHost(client);
        var name = host.ContainerName("leased");
        await host.WriteAsync(name, host.Elasticsearch(name, FreePorts.Next()));
        await using var other = await ZooKeeperFixture.ConnectAsync(server.ConnectString);
        await other.CreateRecursiveAsync(CloudPaths.Runners, null, CancellationToken.None);
        await other.CreateAsync(CloudPaths.Runner(host.HostId), [], CreateMode.Ephemeral, null, CancellationToken.None);

        await using var runner = await RunnerHost.StartAsync(host.HostId, host.DataRoot, server.ConnectString);
        await Eventually.AssertAsync(() => Task.FromResult(runner.Service.LastPass is not null), Converge, "a reconcile pass");
        var first = runner.Service.LastPass;
        await Eventually.AssertAsync(() => Task.FromResult(!ReferenceEquals(runner.Service.LastPass, first)), Converge, "another pass");
        (await host.DockerContainersAsync()).Should().BeEmpty("another runner holds this host");

        await other.DisposeAsync();

        await host.WaitForStateAsync(name, ContainerStates.Running, Converge);
    }
}
