using Cloud.Shared.Routing;
using Cloud.Testing;
using Cloud.ZooKeeper;
using FluentAssertions;
using Xunit;

namespace Cloud.Proxy.Tests.Integration;

/// <summary>A proxy that loses ZooKeeper keeps routing with its last-known table (DESIGN.md).</summary>
[Collection(ProxyIntegrationCollection.Name)]
[Trait("Category", "Integration")]
public sealed class OutageTests
{
    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ZooKeeperStopped_TrafficKeepsFlowing_ChangesAppliedOnceItReturns()
    {
        await using var server = await ZooKeeperServer.StartAsync();
        await using var client = await ProxyFixture.ConnectAsync(server.ConnectString);
        var writer = new ClusterWriter(client);
        await using var a = await BackendStub.StartAsync("node-a");
        await using var b = await BackendStub.StartAsync("node-b");
        await writer.RegisterAllocatorAsync("alloc-1");
        await writer.WriteInstanceAsync(ClusterWriter.Instance("outage", "instance-a", a));
        await writer.WriteInstanceAsync(ClusterWriter.Instance("outage", "instance-b", b));
        await using var proxy = await ProxyHost.StartAsync(server.ConnectString);
        await Eventually.AssertAsync(() => Task.FromResult(proxy.Routes.TryGet("outage", out var r) && r.All.Length == 2), Converge, "both instances routable");

        await using var traffic = new TrafficLoop(proxy, "outage");
        await server.StopAsync();

        // The proxy notices (its session is disconnected, its caches go stale) and keeps serving.
        await Eventually.AssertAsync(async () => await proxy.ZooKeeperStateAsync() != ConnectionState.Connected, Converge, "the proxy to see ZooKeeper gone");
        var served = traffic.Succeeded;
        await Eventually.AssertAsync(() => Task.FromResult(traffic.Succeeded > served + 1000), Converge, "1000 requests served while ZooKeeper is down");
        proxy.Routes.TryGet("outage", out var during).Should().BeTrue();
        during!.All.Should().HaveCount(2, "routes are never dropped while ZooKeeper is unreachable");

        await server.StartAgainAsync();
        await client.WaitUntilConnectedAsync();
        await writer.WriteOverrideAsync("outage", "after", new RoutingOverride { Action = RoutingOverrideActions.Exclude, Instances = ["instance-a"], Reason = "after the outage", CreatedAt = DateTimeOffset.UtcNow });
        await Eventually.AssertAsync(() => Task.FromResult(proxy.Routes.TryGet("outage", out var r) && r.All.Length == 1 && r.All[0].InstanceName == "instance-b"), Converge, "the change made after ZooKeeper returned to apply");
        await traffic.StopAsync();

        traffic.Failures.Should().BeEmpty();
    }
}
