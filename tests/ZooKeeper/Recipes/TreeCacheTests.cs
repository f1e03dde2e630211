using System.Text;
using Cloud.ZooKeeper.Recipes;
using Cloud.ZooKeeper.Tests.Session;
using FluentAssertions;

namespace Cloud.ZooKeeper.Tests.Recipes;

[Collection(ZooKeeperCollection.Name)]
[Trait("Category", "Integration")]
public sealed class TreeCacheTests(ZooKeeperServerFixture zk)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task StartAsync_ExistingSubtree_LoadedWithDataAndChildrenBeforeReturn()
    {
        await using var client = await zk.ConnectAsync();
        var root = ZooKeeperServerFixture.UniqueRoot();
        await client.CreateAsync(root, Bytes("root"));
        await client.CreateAsync(root + "/a", Bytes("a"));
        await client.CreateAsync(root + "/a/x", Bytes("ax"));
        await client.CreateAsync(root + "/a/x/deep", Bytes("deep"));
        await client.CreateAsync(root + "/b", []);
        await using var cache = new TreeCache(client, root);

        await cache.StartAsync();

        var snapshot = cache.Current;
        snapshot.IsAuthoritative.Should().BeTrue();
        snapshot.Nodes.Keys.Should().BeEquivalentTo(root, root + "/a", root + "/a/x", root + "/a/x/deep", root + "/b");
        snapshot.Get(root + "/a/x/deep")!.Data.Should().Equal(Bytes("deep"));
        snapshot.ChildrenOf(root).Select(n => n.Name).Should().Equal("a", "b");
        snapshot.Get(root + "/a/x")!.Children.Should().Equal("deep");
    }

    [Fact]
    public async Task Changes_DeepCreateUpdateDelete_AppliedInOrder()
    {
        await using var client = await zk.ConnectAsync();
        await using var writer = await zk.ConnectAsync();
        var root = ZooKeeperServerFixture.UniqueRoot();
        await writer.CreateAsync(root, []);
        await using var cache = new TreeCache(client, root);
        await cache.StartAsync();

        await writer.CreateRecursiveAsync(root + "/c1/i1/n1", Bytes("v1"));
        await writer.CreateAsync(root + "/c2", Bytes("gone soon"));
        await writer.SetDataAsync(root + "/c1/i1/n1", Bytes("v2"));
        await writer.DeleteAsync(root + "/c2");
        await writer.SetDataAsync(root, Bytes("last"));

        (await Eventually.TrueAsync(() => cache.Current.Get(root)?.Data.SequenceEqual(Bytes("last")) == true, Wait)).Should().BeTrue();
        var snapshot = cache.Current;
        snapshot.Get(root + "/c1/i1/n1")!.Data.Should().Equal(Bytes("v2"));
        snapshot.Get(root + "/c2").Should().BeNull();
        snapshot.ChildrenOf(root).Select(n => n.Name).Should().Equal("c1");
        snapshot.Get(root + "/c1/i1")!.Children.Should().Equal("n1");
        snapshot.IsAuthoritative.Should().BeTrue();
    }

    [Fact]
    public async Task MissingRoot_EmptyUntilCreated_ThenFollowed_AndEmptyAgainWhenDeleted()
    {
        await using var client = await zk.ConnectAsync();
        await using var writer = await zk.ConnectAsync();
        var root = ZooKeeperServerFixture.UniqueRoot() + "/later";
        await using var cache = new TreeCache(client, root);

        await cache.StartAsync();
        cache.Current.RootExists.Should().BeFalse();
        cache.Current.IsAuthoritative.Should().BeTrue("an absent root is a known fact, not a missing view");
        (await client.ExistsAsync(root)).Should().BeNull("the cache never creates its root");

        await writer.CreateRecursiveAsync(root + "/child", Bytes("c"));
        (await Eventually.TrueAsync(() => cache.Current.Get(root + "/child") is not null && cache.Current.ChildrenOf(root).Any(), Wait)).Should().BeTrue();

        await writer.DeleteAsync(root + "/child");
        await writer.DeleteAsync(root);
        (await Eventually.TrueAsync(() => cache.Current.Nodes.IsEmpty, Wait)).Should().BeTrue();
    }

    [Fact]
    public async Task WatchAsync_Subscriber_SeesNotAuthoritativeWhileDisconnectedThenTheChangesMadeMeanwhile()
    {
        await using var proxy = new TcpProxy(zk.Server.Port);
        await using var client = await ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions { ConnectString = proxy.ConnectString, SessionTimeout = TimeSpan.FromSeconds(10) });
        await using var writer = await zk.ConnectAsync();
        var root = ZooKeeperServerFixture.UniqueRoot();
        await writer.CreateRecursiveAsync(root + "/stays");
        await writer.CreateRecursiveAsync(root + "/goes/deep");
        await using var cache = new TreeCache(client, root);
        await cache.StartAsync();
        using var stop = new CancellationTokenSource(Wait * 2);
        await using var snapshots = cache.WatchAsync(stop.Token).GetAsyncEnumerator(stop.Token);
        var session = client.SessionId;

        proxy.Pause();
        var stale = await NextMatchingAsync(snapshots, s => !s.IsAuthoritative);
        await writer.DeleteAsync(root + "/goes/deep");
        await writer.DeleteAsync(root + "/goes");
        await writer.CreateAsync(root + "/stays/new", Bytes("n"));
        await writer.SetDataAsync(root, Bytes("changed"));
        proxy.Resume();
        var fresh = await NextMatchingAsync(snapshots, s => s.IsAuthoritative);

        client.SessionId.Should().Be(session, "the session was resumed, yet the events of the outage are not replayed");
        stale.Get(root + "/goes/deep").Should().NotBeNull("a stale view keeps what it had");
        fresh.Get(root + "/goes").Should().BeNull();
        fresh.Get(root + "/goes/deep").Should().BeNull();
        fresh.Get(root + "/stays/new")!.Data.Should().Equal(Bytes("n"));
        fresh.Get(root)!.Data.Should().Equal(Bytes("changed"));
        fresh.Version.Should().BeGreaterThan(stale.Version);
    }

    [Fact]
    public async Task SessionExpired_WatchAddedAgainInNewSession_KeepsFollowing()
    {
        await using var proxy = new TcpProxy(zk.Server.Port);
        await using var client = await ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions { ConnectString = proxy.ConnectString, SessionTimeout = TimeSpan.FromSeconds(2) });
        await using var writer = await zk.ConnectAsync();
        var states = new StateRecorder(client);
        var root = ZooKeeperServerFixture.UniqueRoot();
        await writer.CreateAsync(root, []);
        await using var cache = new TreeCache(client, root);
        await cache.StartAsync();
        var oldSession = client.SessionId;

        proxy.Pause();
        (await states.SawAsync(c => c.State == ConnectionState.Expired, Wait)).Should().BeTrue();
        proxy.Resume();
        (await states.SawAsync(c => c.State == ConnectionState.Connected && c.IsNewSession, Wait)).Should().BeTrue();
        (await Eventually.TrueAsync(() => cache.Current.IsAuthoritative, Wait)).Should().BeTrue();
        await writer.CreateAsync(root + "/after-expiry", []);

        (await Eventually.TrueAsync(() => cache.Current.Get(root + "/after-expiry") is not null, Wait)).Should().BeTrue("the new session has the recursive watch again");
        client.SessionId.Should().NotBe(oldSession);
    }

    [Fact]
    public async Task UnreadableNode_NotAuthoritativeWhileNoAuth_ThenRecoversWhenReadable()
    {
        await using var proxy = new TcpProxy(zk.Server.Port);
        await using var client = await ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions { ConnectString = proxy.ConnectString, SessionTimeout = TimeSpan.FromSeconds(10) });
        await using var owner = await zk.ConnectAsync();
        var states = new StateRecorder(client);
        await owner.AddAuthAsync("digest", Bytes("owner:pw"));
        var root = ZooKeeperServerFixture.UniqueRoot();
        await owner.CreateRecursiveAsync(root + "/open/leaf", Bytes("x"));
        var log = new ListLogger();
        await using var cache = new TreeCache(client, root, log);
        await cache.StartAsync();

        // The server may not even tell a client about a node it cannot read; the re-read after a reconnect meets it.
        await owner.CreateAsync(root + "/open/secret", Bytes("s"), acl: Acl.CreatorAll);
        proxy.Pause();
        (await states.SawAsync(c => c.State == ConnectionState.Disconnected, Wait)).Should().BeTrue();
        proxy.Resume();
        (await states.SawAsync(c => c.State == ConnectionState.Connected && !c.IsNewSession, Wait)).Should().BeTrue();
        (await Eventually.TrueAsync(() => log.Messages.Any(m => m.Contains("(failure 2)", StringComparison.Ordinal)), Wait)).Should().BeTrue("the re-read meets NoAuth, backs off and tries again");
        cache.Current.IsAuthoritative.Should().BeFalse();
        cache.Current.Get(root + "/open/leaf").Should().NotBeNull("a view that is not authoritative keeps what it had");

        await owner.SetAclAsync(root + "/open/secret", Acl.OpenUnsafe);
        (await Eventually.TrueAsync(() => cache.Current.IsAuthoritative && cache.Current.Get(root + "/open/secret") is not null, Wait)).Should().BeTrue("the cache backs off and re-reads until it can");
        await owner.CreateAsync(root + "/later", []);
        (await Eventually.TrueAsync(() => cache.Current.Get(root + "/later") is not null, Wait)).Should().BeTrue("the cache still follows changes");
    }

    private static async Task<TreeSnapshot> NextMatchingAsync(IAsyncEnumerator<TreeSnapshot> snapshots, Func<TreeSnapshot, bool> predicate)
    {
        while (await snapshots.MoveNextAsync())
        {
            if (predicate(snapshots.Current))
            {
                return snapshots.Current;
            }
        }

        throw new InvalidOperationException("The snapshot stream ended.");
    }

    private static byte[] Bytes(string value) => Encoding.UTF8.GetBytes(value);
}
