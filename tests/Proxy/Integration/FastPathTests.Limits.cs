using System.Net;
using System.Net.Sockets;
using Cloud.Proxy.FastPath;
using Cloud.Testing;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit;

namespace Cloud.Proxy.Tests.Integration;

/// <summary>The fast path's time limits and its pooled instance connections' housekeeping.</summary>
public sealed partial class FastPathTests
{
    private static long Later(TimeSpan by) => Environment.TickCount64 + (long)by.TotalMilliseconds;

    [Fact]
    public async Task RequestWithoutActivity_AbortedAfterTheActivityTimeout_WithItsInstanceConnection()
    {
        // An instance that reads the request and never answers.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var clusterId = await ClusterAsync(((IPEndPoint)listener.LocalEndpoint).Port);
        var limit = TimeSpan.FromSeconds(Proxy.Services.GetRequiredService<IOptions<ProxyOptions>>().Value.ActivityTimeoutSeconds);
        var reaper = Proxy.Services.GetRequiredService<IdleConnectionReaper>();
        await using var client = await RawClient.ConnectAsync(Proxy.Port);
        await client.SendAsync($"GET /slow HTTP/1.1\r\nHost: {clusterId}.localhost\r\n\r\n");
        using var instance = await listener.AcceptSocketAsync(Timeout);
        var head = new byte[4096];
        (await instance.ReceiveAsync(head, Timeout)).Should().BeGreaterThan(0, "the request reached the instance");

        reaper.Sweep(Later(limit - TimeSpan.FromSeconds(5)));
        instance.Poll(TimeSpan.FromMilliseconds(500), SelectMode.SelectRead).Should().BeFalse("within the activity timeout the request waits, its instance connection open");

        reaper.Sweep(Later(limit + TimeSpan.FromSeconds(1)));
        (await client.Reader.EndsWithinAsync(TimeSpan.FromSeconds(10))).Should().BeTrue("past the activity timeout the proxy aborts the request");
        using var ended = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        (await instance.ReceiveAsync(head, ended.Token)).Should().Be(0, "the instance connection of the aborted request is closed too");
    }

    [Fact]
    public async Task PooledConnections_OfAnInstanceNoLongerRouted_ClosedByTheSweep()
    {
        await using var before = new RawBackend(_ => Answer("before"));
        await using var after = new RawBackend(_ => Answer("after"));
        var clusterId = await ClusterAsync(before.Port);
        var sweeper = Proxy.Services.GetRequiredService<BackendPoolSweeper>();
        using (var response = await Proxy.GetAsync(clusterId, "/"))
        {
            (await response.Content.ReadAsStringAsync()).Should().Be("before");
        }

        sweeper.Sweep();
        before.Closed.Should().Be(0, "the instance is still routed, its idle connection stays in the pool");

        // The instance moves: nothing routes to the old address any more.
        await fixture.Writer.WriteInstanceAsync(ClusterWriter.Instance(clusterId, "instance-0", after.Port, ProxyFixture.AllocatorId));
        await Eventually.AssertAsync(
            () => Task.FromResult(Proxy.Routes.TryGet(clusterId, out var route) && route.All.Single().State.Port == after.Port),
            Applied,
            "the route follows the instance");
        sweeper.Sweep();

        await Eventually.AssertAsync(() => Task.FromResult(before.Closed == before.Connections), Applied, "the old address's idle connections closed");
    }

    [Fact]
    public async Task PooledConnection_IdlePastTheLimit_ClosedByTheSweep_NotOnlyWhenTaken()
    {
        await using var backend = new RawBackend(_ => Answer("ok"));
        var clusterId = await ClusterAsync(backend.Port);
        var sweeper = Proxy.Services.GetRequiredService<BackendPoolSweeper>();
        using (var response = await Proxy.GetAsync(clusterId, "/"))
        {
            (await response.Content.ReadAsStringAsync()).Should().Be("ok");
        }

        sweeper.Sweep(Later(TimeSpan.FromSeconds(10)));
        backend.Closed.Should().Be(0, "ten seconds idle is within the pool's limit");

        sweeper.Sweep(Later(TimeSpan.FromSeconds(60)));
        await Eventually.AssertAsync(() => Task.FromResult(backend.Closed == backend.Connections), Applied, "idle past the limit, closed by the sweep");
    }
}
