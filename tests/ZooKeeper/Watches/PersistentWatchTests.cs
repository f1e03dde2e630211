using Cloud.ZooKeeper.Tests.Session;
using FluentAssertions;

namespace Cloud.ZooKeeper.Tests.Watches;

[Collection(ZooKeeperCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PersistentWatchTests(ZooKeeperServerFixture zk)
{
    [Fact]
    public async Task AddWatch_Recursive_SeesCreateChangeDeleteOfDeepChildrenAndStaysSet()
    {
        await using var client = await zk.ConnectAsync();
        await using var writer = await zk.ConnectAsync();
        var root = ZooKeeperServerFixture.UniqueRoot();
        await writer.CreateAsync(root, []);
        var watcher = new WatchRecorder();
        await client.AddWatchAsync(root, AddWatchMode.PersistentRecursive, watcher);

        await writer.CreateAsync(root + "/a", []);
        await writer.CreateAsync(root + "/a/b", []);
        await writer.CreateAsync(root + "/a/b/c", [1]);
        await writer.SetDataAsync(root + "/a/b/c", [2]);
        await writer.DeleteAsync(root + "/a/b/c");
        await writer.SetDataAsync(root, [3]);

        var events = new List<WatchedEvent>();
        for (var i = 0; i < 6; i++)
        {
            events.Add(await watcher.NextAsync());
        }

        events.Should().Equal(
            new WatchedEvent(EventType.NodeCreated, KeeperState.SyncConnected, root + "/a"),
            new WatchedEvent(EventType.NodeCreated, KeeperState.SyncConnected, root + "/a/b"),
            new WatchedEvent(EventType.NodeCreated, KeeperState.SyncConnected, root + "/a/b/c"),
            new WatchedEvent(EventType.NodeDataChanged, KeeperState.SyncConnected, root + "/a/b/c"),
            new WatchedEvent(EventType.NodeDeleted, KeeperState.SyncConnected, root + "/a/b/c"),
            new WatchedEvent(EventType.NodeDataChanged, KeeperState.SyncConnected, root));
    }

    [Fact]
    public async Task AddWatch_Persistent_SeesItsNodeAndChildListButNotGrandchildren()
    {
        await using var client = await zk.ConnectAsync();
        await using var writer = await zk.ConnectAsync();
        var root = ZooKeeperServerFixture.UniqueRoot();
        var watcher = new WatchRecorder();
        await client.AddWatchAsync(root, AddWatchMode.Persistent, watcher);

        await writer.CreateAsync(root, []);
        await writer.CreateAsync(root + "/a", []);
        await writer.CreateAsync(root + "/a/b", []);
        await writer.SetDataAsync(root + "/a", [1]);
        await writer.SetDataAsync(root, [1]);

        (await watcher.NextAsync()).Should().Be(new WatchedEvent(EventType.NodeCreated, KeeperState.SyncConnected, root));
        (await watcher.NextAsync()).Should().Be(new WatchedEvent(EventType.NodeChildrenChanged, KeeperState.SyncConnected, root));
        (await watcher.NextAsync()).Should().Be(new WatchedEvent(EventType.NodeDataChanged, KeeperState.SyncConnected, root), "the grandchild and the child's data are not the persistent watch's business");
    }

    [Fact]
    public async Task AddWatch_RecursiveUnderChroot_EventPathsAreClientPaths()
    {
        var root = ZooKeeperServerFixture.UniqueRoot();
        await using var plain = await zk.ConnectAsync();
        await plain.CreateAsync(root, []);
        await using var rooted = await zk.ConnectAsync(chroot: root);
        var watcher = new WatchRecorder();
        await rooted.AddWatchAsync("/", AddWatchMode.PersistentRecursive, watcher);

        await plain.CreateAsync(root + "/x", []);

        (await watcher.NextAsync()).Should().Be(new WatchedEvent(EventType.NodeCreated, KeeperState.SyncConnected, "/x"));
    }

    [Fact]
    public async Task RemoveWatches_Recursive_StopsEventsOnClientAndServer()
    {
        await using var client = await zk.ConnectAsync();
        await using var writer = await zk.ConnectAsync();
        var root = ZooKeeperServerFixture.UniqueRoot();
        var sentinelPath = root + "-sentinel";
        await writer.CreateAsync(root, []);
        await writer.CreateAsync(sentinelPath, []);
        var removed = new WatchRecorder();
        var sentinel = new WatchRecorder();
        await client.AddWatchAsync(root, AddWatchMode.PersistentRecursive, removed);
        await client.AddWatchAsync(sentinelPath, AddWatchMode.PersistentRecursive, sentinel);

        await client.RemoveWatchesAsync(root, AddWatchMode.PersistentRecursive, removed);
        await writer.CreateAsync(root + "/after", []);
        await writer.SetDataAsync(sentinelPath, [1]);

        // Events arrive in order: once the later sentinel event is in, an event for the removed watch would be too.
        (await sentinel.NextAsync()).Type.Should().Be(EventType.NodeDataChanged);
        (await removed.NextAsync()).Type.Should().Be(EventType.PersistentWatchRemoved);
        removed.Count.Should().Be(1);
        var serverWatches = await zk.Server.TryFourLetterWordAsync("wchp");
        serverWatches.Should().NotBeNull().And.Contain(sentinelPath).And.NotContain(root + "\n");
        await client.Invoking(c => c.RemoveWatchesAsync(root, AddWatchMode.PersistentRecursive, removed)).Should().ThrowAsync<NoWatcherException>();
    }

    [Fact]
    public async Task SubscribeAsync_StreamsEventsUntilDisposed()
    {
        await using var client = await zk.ConnectAsync();
        var root = ZooKeeperServerFixture.UniqueRoot();
        var subscription = await client.SubscribeAsync(root, AddWatchMode.PersistentRecursive);
        await using var enumerator = subscription.ReadAllAsync().GetAsyncEnumerator();

        await client.CreateAsync(root, []);
        await client.CreateAsync(root + "/child", []);

        (await enumerator.MoveNextAsync()).Should().BeTrue();
        enumerator.Current.Should().Be(new WatchedEvent(EventType.NodeCreated, KeeperState.SyncConnected, root));
        (await enumerator.MoveNextAsync()).Should().BeTrue();
        enumerator.Current.Path.Should().Be(root + "/child");
        await subscription.DisposeAsync();
        (await enumerator.MoveNextAsync()).Should().BeFalse("disposing the subscription removes the watch and ends the stream");
    }

    [Fact]
    public async Task RecursiveWatch_ConnectionDropped_RestoredBySetWatches2()
    {
        await using var proxy = new TcpProxy(zk.Server.Port);
        await using var client = await ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions { ConnectString = proxy.ConnectString, SessionTimeout = TimeSpan.FromSeconds(10) });
        await using var writer = await zk.ConnectAsync();
        var states = new StateRecorder(client);
        var root = ZooKeeperServerFixture.UniqueRoot();
        var watcher = new WatchRecorder();
        await client.AddWatchAsync(root, AddWatchMode.PersistentRecursive, watcher);
        var session = client.SessionId;

        proxy.Pause();
        (await states.SawAsync(c => c.State == ConnectionState.Disconnected, TimeSpan.FromSeconds(10))).Should().BeTrue();
        proxy.Resume();
        (await states.SawAsync(c => c.State == ConnectionState.Connected && !c.IsNewSession, TimeSpan.FromSeconds(10))).Should().BeTrue();
        await writer.CreateRecursiveAsync(root + "/x/y");

        client.SessionId.Should().Be(session);
        (await watcher.NextAsync()).Path.Should().Be(root);
        (await watcher.NextAsync()).Path.Should().Be(root + "/x");
        (await watcher.NextAsync()).Path.Should().Be(root + "/x/y");
    }
}
