using Cloud.ZooKeeper.Tests.Session;
using FluentAssertions;

namespace Cloud.ZooKeeper.Tests.Watches;

/// <summary>Persistent watches across a restart of the server itself (its own server: the shared one must stay up).</summary>
[Trait("Category", "Integration")]
public sealed class PersistentWatchRestartTests
{
    [Fact]
    public async Task RecursiveWatch_ServerRestarted_KeepsFiringInTheSameSession()
    {
        await using var server = await ZooKeeperServer.StartAsync();
        await using var client = await ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions { ConnectString = server.ConnectString, SessionTimeout = TimeSpan.FromSeconds(60), RequestTimeout = TimeSpan.FromSeconds(60) });
        var states = new StateRecorder(client);
        var watcher = new WatchRecorder();
        await client.CreateAsync("/tree", []);
        await client.AddWatchAsync("/tree", AddWatchMode.PersistentRecursive, watcher);
        var session = client.SessionId;

        await server.StopAsync();
        (await states.SawAsync(c => c.State == ConnectionState.Disconnected, TimeSpan.FromSeconds(10))).Should().BeTrue();
        await server.StartAgainAsync();
        await client.CreateAsync("/tree/after-restart", []);

        (await watcher.NextAsync(TimeSpan.FromSeconds(60))).Should().Be(new WatchedEvent(EventType.NodeCreated, KeeperState.SyncConnected, "/tree/after-restart"));
        client.SessionId.Should().Be(session);
    }
}
