using FluentAssertions;

namespace Cloud.ZooKeeper.Tests.Watches;

[Collection(ZooKeeperCollection.Name)]
[Trait("Category", "Integration")]
public sealed class WatchTests(ZooKeeperServerFixture zk)
{
    [Fact]
    public async Task GetDataWatch_DataChangedTwice_FiresExactlyOnce()
    {
        await using var client = await zk.ConnectAsync();
        var path = ZooKeeperServerFixture.UniqueRoot();
        await client.CreateAsync(path, []);
        var watcher = new WatchRecorder();
        await client.GetDataAsync(path, watcher);

        await client.SetDataAsync(path, [1]);
        await client.SetDataAsync(path, [2]);

        (await watcher.NextAsync()).Should().Be(new WatchedEvent(EventType.NodeDataChanged, KeeperState.SyncConnected, path));
        (await watcher.NoneWithinAsync(TimeSpan.FromMilliseconds(300))).Should().BeTrue();
        watcher.Count.Should().Be(1);
    }

    [Fact]
    public async Task GetDataWatch_NodeDeleted_FiresNodeDeleted()
    {
        await using var client = await zk.ConnectAsync();
        var path = ZooKeeperServerFixture.UniqueRoot();
        await client.CreateAsync(path, []);
        var watcher = new WatchRecorder();
        await client.GetDataAsync(path, watcher);

        await client.DeleteAsync(path);

        (await watcher.NextAsync()).Type.Should().Be(EventType.NodeDeleted);
    }

    [Fact]
    public async Task ExistsWatch_MissingNodeCreatedByOtherSession_FiresNodeCreated()
    {
        await using var client = await zk.ConnectAsync();
        await using var other = await zk.ConnectAsync();
        var path = ZooKeeperServerFixture.UniqueRoot();
        var watcher = new WatchRecorder();
        (await client.ExistsAsync(path, watcher)).Should().BeNull();

        await other.CreateAsync(path, []);

        (await watcher.NextAsync()).Should().Be(new WatchedEvent(EventType.NodeCreated, KeeperState.SyncConnected, path));
    }

    [Fact]
    public async Task ExistsWatch_ExistingNodeChanged_FiresNodeDataChanged()
    {
        await using var client = await zk.ConnectAsync();
        var path = ZooKeeperServerFixture.UniqueRoot();
        await client.CreateAsync(path, []);
        var watcher = new WatchRecorder();
        await client.ExistsAsync(path, watcher);

        await client.SetDataAsync(path, [1]);

        (await watcher.NextAsync()).Type.Should().Be(EventType.NodeDataChanged);
    }

    [Fact]
    public async Task ChildWatch_ChildAddedTwice_FiresOnceThenRearmable()
    {
        await using var client = await zk.ConnectAsync();
        var path = ZooKeeperServerFixture.UniqueRoot();
        await client.CreateAsync(path, []);
        var watcher = new WatchRecorder();
        await client.GetChildrenAsync(path, watcher);

        await client.CreateAsync(path + "/a", []);
        await client.CreateAsync(path + "/b", []);
        var first = await watcher.NextAsync();
        await client.GetChildrenAsync(path, watcher);
        await client.DeleteAsync(path + "/a");
        var second = await watcher.NextAsync();

        first.Should().Be(new WatchedEvent(EventType.NodeChildrenChanged, KeeperState.SyncConnected, path));
        second.Type.Should().Be(EventType.NodeChildrenChanged);
        watcher.Count.Should().Be(2);
    }

    [Fact]
    public async Task ChildWatch_ChildDataChanged_DoesNotFire()
    {
        await using var client = await zk.ConnectAsync();
        var path = ZooKeeperServerFixture.UniqueRoot();
        await client.CreateRecursiveAsync(path + "/a");
        var watcher = new WatchRecorder();
        await client.GetChildrenAsync(path, watcher);

        await client.SetDataAsync(path + "/a", [1]);

        (await watcher.NoneWithinAsync(TimeSpan.FromMilliseconds(300))).Should().BeTrue();
    }

    [Fact]
    public async Task Watches_SameWatcherOnDataAndExists_FiresOncePerEvent()
    {
        await using var client = await zk.ConnectAsync();
        var path = ZooKeeperServerFixture.UniqueRoot();
        await client.CreateAsync(path, []);
        var watcher = new WatchRecorder();
        await client.GetDataAsync(path, watcher);
        await client.ExistsAsync(path, watcher);

        await client.SetDataAsync(path, [1]);

        await watcher.NextAsync();
        (await watcher.NoneWithinAsync(TimeSpan.FromMilliseconds(300))).Should().BeTrue();
    }

    [Fact]
    public async Task Watch_EventBeforeNewData_ReadInHandlerSeesChange()
    {
        await using var client = await zk.ConnectAsync();
        var path = ZooKeeperServerFixture.UniqueRoot();
        await client.CreateAsync(path, [0]);
        var seen = new TaskCompletionSource<byte[]>();
        await client.GetDataAsync(path, Watcher.Create(async _ => seen.TrySetResult((await client.GetDataAsync(path)).Data)));

        await client.SetDataAsync(path, [7]);

        (await seen.Task.WaitAsync(TimeSpan.FromSeconds(10))).Should().Equal(7);
    }

    [Fact]
    public async Task Watch_Chroot_EventPathIsClientPath()
    {
        var root = ZooKeeperServerFixture.UniqueRoot();
        await using var plain = await zk.ConnectAsync();
        await plain.CreateRecursiveAsync(root + "/node");
        await using var rooted = await zk.ConnectAsync(chroot: root);
        var watcher = new WatchRecorder();
        await rooted.GetDataAsync("/node", watcher);

        await plain.SetDataAsync(root + "/node", [1]);

        (await watcher.NextAsync()).Path.Should().Be("/node");
    }

    [Fact]
    public async Task Watch_ClientClosed_WatcherGetsClosedEvent()
    {
        var client = await zk.ConnectAsync();
        var watcher = new WatchRecorder();
        await client.ExistsAsync(ZooKeeperServerFixture.UniqueRoot(), watcher);

        await client.DisposeAsync();

        (await watcher.NextAsync()).Should().Be(new WatchedEvent(EventType.None, KeeperState.Closed, null));
    }
}
