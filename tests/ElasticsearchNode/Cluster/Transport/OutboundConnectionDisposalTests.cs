using System.Text.Json;
using Cloud.ElasticsearchNode.Cluster.Transport;
using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Cloud.ElasticsearchNode.Tests.Cluster.Transport;

/// <summary>
/// A pooled connection is shared: when its peer dies, the first caller to notice disposes it while other callers
/// (the follower check, a publication, a replication) still hold it or wait on it. Those callers must see a
/// transport failure, never an ObjectDisposedException: the fault detector counts transport failures only, and an
/// ObjectDisposedException out of a check ended the master's follower-check loop, so a killed node stayed in the
/// cluster state for good (ResyncContainerTests, 3 nodes and 2 copies initializing 80 s after the kill).
/// </summary>
public sealed class OutboundConnectionDisposalTests
{
    [Fact]
    public async Task RequestAsync_ConnectionDisposedByAnotherCaller_ThrowsNodeDisconnected()
    {
        await using var server = Start();
        await using var client = Start();
        var connection = await client.ConnectAsync(Address(server), CancellationToken.None);
        await connection.DisposeAsync();

        var act = () => connection.RequestAsync("test:echo", JsonSerializer.SerializeToElement(new { }), TimeSpan.FromSeconds(5), CancellationToken.None);

        (await act.Should().ThrowAsync<TransportException>()).Which.Type.Should().Be("node_disconnected_exception");
    }

    [Fact]
    public async Task RequestAsync_PendingWhenTheConnectionIsDisposed_ThrowsNodeDisconnected()
    {
        await using var server = Start();
        await using var client = Start();
        var received = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Register<JsonElement, JsonElement>("test:never", async (p, ct) =>
        {
            received.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
            return p;
        });
        var connection = await client.ConnectAsync(Address(server), CancellationToken.None);
        var pending = connection.RequestAsync("test:never", JsonSerializer.SerializeToElement(new { }), TimeSpan.FromSeconds(30), CancellationToken.None);
        await received.Task.WaitAsync(TimeSpan.FromSeconds(10));

        await connection.DisposeAsync();

        (await FluentActions.Awaiting(() => pending).Should().ThrowAsync<TransportException>()).Which.Type.Should().Be("node_disconnected_exception");
    }

    [Fact]
    public async Task DisposeAsync_Twice_IsANoOp()
    {
        await using var server = Start();
        await using var client = Start();
        var connection = await client.ConnectAsync(Address(server), CancellationToken.None);

        await connection.DisposeAsync();
        var again = async () => await connection.DisposeAsync();

        await again.Should().NotThrowAsync();
    }

    private static string Address(TransportService service) => "127.0.0.1:" + service.BoundPort;

    private static TransportService Start()
    {
        var service = new TransportService(new TransportOptions { BindHost = "127.0.0.1", Port = 0 },
            () => new TransportHandshake("c", null, "node-" + Guid.NewGuid().ToString("N"), "node"), NullLogger.Instance);
        service.Start();
        return service;
    }
}
