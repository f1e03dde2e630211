using Cloud.ZooKeeper.Recipes;
using Cloud.ZooKeeper.Tests.Session;
using FluentAssertions;

namespace Cloud.ZooKeeper.Tests.Recipes;

[Collection(ZooKeeperCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ChildrenCacheTests(ZooKeeperServerFixture zk)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task StartAsync_ExistingChildren_LoadedBeforeReturn()
    {
        await using var client = await zk.ConnectAsync();
        var root = ZooKeeperServerFixture.UniqueRoot();
        await client.CreateRecursiveAsync(root + "/a", [1]);
        await client.CreateRecursiveAsync(root + "/b", [2]);
        await using var cache = new ChildrenCache(client, root);

        await cache.StartAsync();

        cache.Current.IsConnected.Should().BeTrue();
        cache.Current.Children.Keys.Should().BeEquivalentTo("a", "b");
        cache.Current.Children["b"].Data.Should().Equal(2);
    }

    [Fact]
    public async Task StartAsync_MissingPath_CreatesIt()
    {
        await using var client = await zk.ConnectAsync();
        var root = ZooKeeperServerFixture.UniqueRoot() + "/x/y";
        await using var cache = new ChildrenCache(client, root);

        await cache.StartAsync();

        (await client.ExistsAsync(root)).Should().NotBeNull();
        cache.Current.Children.Should().BeEmpty();
    }

    [Fact]
    public async Task StartAsync_MissingPathNotToBeCreated_ReportedMissingUntilCreatedAndAgainWhenDeleted()
    {
        await using var client = await zk.ConnectAsync();
        await using var writer = await zk.ConnectAsync();
        var root = ZooKeeperServerFixture.UniqueRoot() + "/host";
        await using var cache = new ChildrenCache(client, root, createIfMissing: false);

        await cache.StartAsync();

        (await client.ExistsAsync(root)).Should().BeNull("the cache was told not to create its path");
        cache.Current.PathExists.Should().BeFalse();
        cache.Current.IsConnected.Should().BeTrue();

        await writer.CreateRecursiveAsync(root + "/a", [1]);
        (await Eventually.TrueAsync(() => cache.Current.PathExists && cache.Current.Children.ContainsKey("a"), Wait)).Should().BeTrue();

        await writer.DeleteAsync(root + "/a");
        await writer.DeleteAsync(root);
        (await Eventually.TrueAsync(() => !cache.Current.PathExists, Wait)).Should().BeTrue("a deleted path is reported as missing, not as empty");
        cache.Current.Children.Should().BeEmpty();

        await writer.CreateAsync(root, []);
        (await Eventually.TrueAsync(() => cache.Current.PathExists, Wait)).Should().BeTrue();
    }

    [Fact]
    public async Task Changes_AddUpdateRemove_ReflectedAndReported()
    {
        await using var client = await zk.ConnectAsync();
        await using var writer = await zk.ConnectAsync();
        var root = ZooKeeperServerFixture.UniqueRoot();
        await using var cache = new ChildrenCache(client, root);
        var changes = new System.Collections.Concurrent.ConcurrentQueue<ChildrenChange>();
        cache.Changed += changes.Enqueue;
        await cache.StartAsync();

        await writer.CreateAsync(root + "/a", [1]);
        (await Eventually.TrueAsync(() => cache.Current.Children.ContainsKey("a"), Wait)).Should().BeTrue();
        await writer.SetDataAsync(root + "/a", [2]);
        (await Eventually.TrueAsync(() => cache.Current.Children["a"].Data.SequenceEqual(new byte[] { 2 }), Wait)).Should().BeTrue();
        await writer.DeleteAsync(root + "/a");
        (await Eventually.TrueAsync(() => cache.Current.Children.IsEmpty, Wait)).Should().BeTrue();

        changes.SelectMany(c => c.Added).Should().Equal("a");
        changes.SelectMany(c => c.Updated).Should().Equal("a");
        changes.SelectMany(c => c.Removed).Should().Equal("a");
    }

    [Fact]
    public async Task WatchAsync_Subscribed_YieldsCurrentThenEachChangeWithGrowingVersion()
    {
        await using var client = await zk.ConnectAsync();
        var root = ZooKeeperServerFixture.UniqueRoot();
        await using var cache = new ChildrenCache(client, root);
        await cache.StartAsync();
        using var cts = new CancellationTokenSource(Wait);
        await using var snapshots = cache.WatchAsync(cts.Token).GetAsyncEnumerator(cts.Token);

        await snapshots.MoveNextAsync();
        var first = snapshots.Current;
        await client.CreateAsync(root + "/a", [1]);
        await snapshots.MoveNextAsync();
        var second = snapshots.Current;

        first.Children.Should().BeEmpty();
        second.Children.Keys.Should().Equal("a");
        second.Version.Should().BeGreaterThan(first.Version);
    }

    [Fact]
    public async Task Reconnect_ChangesWhileDisconnected_ResyncedAndFlaggedConnectedOnlyAfter()
    {
        await using var proxy = new TcpProxy(zk.Server.Port);
        await using var client = await ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions { ConnectString = proxy.ConnectString, SessionTimeout = TimeSpan.FromSeconds(4) });
        await using var writer = await zk.ConnectAsync();
        var root = ZooKeeperServerFixture.UniqueRoot();
        await writer.CreateRecursiveAsync(root + "/keep", [1]);
        await writer.CreateRecursiveAsync(root + "/drop", [1]);
        await using var cache = new ChildrenCache(client, root);
        await cache.StartAsync();

        proxy.Pause();
        (await Eventually.TrueAsync(() => !cache.Current.IsConnected, Wait)).Should().BeTrue();
        await writer.SetDataAsync(root + "/keep", [2]);
        await writer.DeleteAsync(root + "/drop");
        await writer.CreateAsync(root + "/new", [3]);
        proxy.Resume();

        (await Eventually.TrueAsync(() => cache.Current.IsConnected, Wait)).Should().BeTrue();
        var snapshot = cache.Current;
        snapshot.Children.Keys.Should().BeEquivalentTo("keep", "new");
        snapshot.Children["keep"].Data.Should().Equal(2);
    }

    [Fact]
    public async Task SessionExpiry_ChangesWhileAway_ResyncedInNewSession()
    {
        await using var proxy = new TcpProxy(zk.Server.Port);
        await using var client = await ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions { ConnectString = proxy.ConnectString, SessionTimeout = TimeSpan.FromSeconds(2) });
        await using var writer = await zk.ConnectAsync();
        var root = ZooKeeperServerFixture.UniqueRoot();
        await writer.CreateRecursiveAsync(root + "/a", [1]);
        await using var cache = new ChildrenCache(client, root);
        await cache.StartAsync();
        var oldSession = client.SessionId;

        proxy.Pause();
        (await Eventually.TrueAsync(() => client.State == ConnectionState.Expired || client.SessionId != oldSession, Wait)).Should().BeTrue();
        await writer.SetDataAsync(root + "/a", [9]);
        await writer.CreateAsync(root + "/b", []);
        proxy.Resume();

        (await Eventually.TrueAsync(() => cache.Current.IsConnected && cache.Current.Children.Count == 2, Wait)).Should().BeTrue();
        cache.Current.Children["a"].Data.Should().Equal(9);
        await writer.CreateAsync(root + "/c", []);
        (await Eventually.TrueAsync(() => cache.Current.Children.ContainsKey("c"), Wait)).Should().BeTrue();
    }

    [Fact]
    public async Task UnreadableChild_NotAuthoritativeWhileNoAuth_ThenRecoversWhenReadable()
    {
        await using var client = await zk.ConnectAsync();
        await using var owner = await zk.ConnectAsync();
        await owner.AddAuthAsync("digest", System.Text.Encoding.UTF8.GetBytes("owner:pw"));
        var root = ZooKeeperServerFixture.UniqueRoot();
        await owner.CreateRecursiveAsync(root + "/open", [1]);
        await using var cache = new ChildrenCache(client, root);
        await cache.StartAsync();
        cache.Current.IsConnected.Should().BeTrue();

        await owner.CreateAsync(root + "/secret", [2], acl: Acl.CreatorAll);
        (await Eventually.TrueAsync(() => !cache.Current.IsConnected, Wait)).Should().BeTrue("a child the cache cannot read makes its view incomplete, and subscribers must be told");
        cache.Current.Children.Keys.Should().Contain("open", "a view that is not authoritative keeps what it had");

        await owner.SetAclAsync(root + "/secret", Acl.OpenUnsafe);
        (await Eventually.TrueAsync(() => cache.Current.IsConnected && cache.Current.Children.ContainsKey("secret"), Wait)).Should().BeTrue("the cache backs off and re-reads until it can");
        await owner.CreateAsync(root + "/later", []);
        (await Eventually.TrueAsync(() => cache.Current.Children.ContainsKey("later"), Wait)).Should().BeTrue("the cache still follows changes");
    }
}
