using FluentAssertions;
using Cloud.ZooKeeper.Tests.Watches;

namespace Cloud.ZooKeeper.Tests.Session;

[Collection(ZooKeeperCollection.Name)]
[Trait("Category", "Integration")]
public sealed class SessionTests(ZooKeeperServerFixture zk)
{
    private static readonly TimeSpan SessionTimeout = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task ConnectAsync_NegotiatesTimeoutAndSession()
    {
        await using var client = await zk.ConnectAsync(sessionTimeout: TimeSpan.FromSeconds(4));

        client.State.Should().Be(ConnectionState.Connected);
        client.SessionId.Should().NotBe(0);
        client.NegotiatedSessionTimeout.Should().Be(TimeSpan.FromSeconds(4));
    }

    [Fact]
    public async Task ConnectAsync_NoServerListening_ThrowsConnectionLossAfterTimeout()
    {
        var options = new ZooKeeperClientOptions { ConnectString = "127.0.0.1:1,127.0.0.1:2", ConnectTimeout = TimeSpan.FromSeconds(1) };

        var act = () => ZooKeeperClient.ConnectAsync(options);

        await act.Should().ThrowAsync<ConnectionLossException>();
    }

    [Fact]
    public async Task Idle_LongerThanSessionTimeout_PingsKeepSessionAlive()
    {
        await using var client = await zk.ConnectAsync(sessionTimeout: TimeSpan.FromSeconds(1.5));
        var path = ZooKeeperServerFixture.UniqueRoot();
        await client.CreateAsync(path, [], CreateMode.Ephemeral);
        var session = client.SessionId;

        await Task.Delay(TimeSpan.FromSeconds(4));

        client.SessionId.Should().Be(session);
        (await client.ExistsAsync(path))!.EphemeralOwner.Should().Be(session);
    }

    [Fact]
    public async Task ConnectionDropped_ReconnectWithinTimeout_KeepsSessionAndEphemeral()
    {
        await using var proxy = new TcpProxy(zk.Server.Port);
        await using var client = await Connect(proxy.ConnectString);
        var states = new StateRecorder(client);
        var path = ZooKeeperServerFixture.UniqueRoot();
        await client.CreateAsync(path, [1], CreateMode.Ephemeral);
        var session = client.SessionId;

        proxy.Pause();
        (await states.SawAsync(c => c.State == ConnectionState.Disconnected, TimeSpan.FromSeconds(5))).Should().BeTrue();
        await Task.Delay(500);
        proxy.Resume();
        var stat = await client.ExistsAsync(path);

        client.SessionId.Should().Be(session);
        stat!.EphemeralOwner.Should().Be(session);
        // The change is queued before the reply is read, but handlers run on the event dispatcher, which
        // may not have reached it yet when the read returns: wait for it rather than look once.
        (await states.SawAsync(c => c == new ConnectionStateChange(ConnectionState.Connected, session, false), TimeSpan.FromSeconds(10)))
            .Should().BeTrue(string.Join(", ", states.Changes));
    }

    [Fact]
    public async Task CallWhileDisconnected_ServerBackWithinRequestTimeout_Succeeds()
    {
        await using var proxy = new TcpProxy(zk.Server.Port);
        await using var client = await Connect(proxy.ConnectString);
        var states = new StateRecorder(client);
        proxy.Pause();
        await states.SawAsync(c => c.State == ConnectionState.Disconnected, TimeSpan.FromSeconds(5));

        var call = client.ExistsAsync("/");
        await Task.Delay(300);
        proxy.Resume();

        (await call).Should().NotBeNull();
    }

    [Fact]
    public async Task CallWhileDisconnected_LongerThanRequestTimeout_ThrowsConnectionLossNotHang()
    {
        await using var proxy = new TcpProxy(zk.Server.Port);
        await using var client = await Connect(proxy.ConnectString, requestTimeout: TimeSpan.FromSeconds(1), sessionTimeout: TimeSpan.FromSeconds(10));
        proxy.Pause();

        var act = () => client.GetDataAsync("/");

        (await act.Should().ThrowAsync<ConnectionLossException>()).Which.IsTransient.Should().BeTrue();
    }

    [Fact]
    public async Task Watches_ChangesWhileDisconnected_FireAfterReconnectViaSetWatches()
    {
        await using var proxy = new TcpProxy(zk.Server.Port);
        await using var client = await Connect(proxy.ConnectString);
        await using var writer = await zk.ConnectAsync();
        var states = new StateRecorder(client);
        var root = ZooKeeperServerFixture.UniqueRoot();
        await writer.CreateRecursiveAsync(root + "/data");
        var dataWatch = new WatchRecorder();
        var childWatch = new WatchRecorder();
        var existWatch = new WatchRecorder();
        var unchangedWatch = new WatchRecorder();
        await client.GetDataAsync(root + "/data", dataWatch);
        await client.GetChildrenAsync(root, childWatch);
        await client.ExistsAsync(root + "/later", existWatch);
        await client.GetDataAsync(root, unchangedWatch);

        proxy.Pause();
        await states.SawAsync(c => c.State == ConnectionState.Disconnected, TimeSpan.FromSeconds(5));
        await writer.SetDataAsync(root + "/data", [1]);
        await writer.CreateAsync(root + "/later", []);
        proxy.Resume();

        (await dataWatch.NextAsync()).Type.Should().Be(EventType.NodeDataChanged);
        (await childWatch.NextAsync()).Type.Should().Be(EventType.NodeChildrenChanged);
        (await existWatch.NextAsync()).Type.Should().Be(EventType.NodeCreated);
        (await unchangedWatch.NoneWithinAsync(TimeSpan.FromMilliseconds(300))).Should().BeTrue();
        await writer.SetDataAsync(root, [1]);
        (await unchangedWatch.NextAsync()).Type.Should().Be(EventType.NodeDataChanged);
    }

    [Fact]
    public async Task Expiry_DisconnectedLongerThanTimeout_ExpiredEventWatchersNotifiedAndNewSession()
    {
        await using var proxy = new TcpProxy(zk.Server.Port);
        await using var client = await Connect(proxy.ConnectString);
        await using var observer = await zk.ConnectAsync();
        var states = new StateRecorder(client);
        var path = ZooKeeperServerFixture.UniqueRoot();
        await client.CreateAsync(path, [], CreateMode.Ephemeral);
        var watcher = new WatchRecorder();
        await client.GetDataAsync(path, watcher);
        var oldSession = client.SessionId;

        proxy.Pause();
        (await states.SawAsync(c => c.State == ConnectionState.Expired, SessionTimeout * 3)).Should().BeTrue();
        proxy.Resume();
        (await states.SawAsync(c => c.State == ConnectionState.Connected && c.IsNewSession && c.SessionId != oldSession, TimeSpan.FromSeconds(10))).Should().BeTrue();

        (await watcher.NextAsync()).Should().Be(new WatchedEvent(EventType.None, KeeperState.Expired, null));
        client.SessionId.Should().NotBe(oldSession).And.NotBe(0);
        (await Eventually.TrueAsync(async () => await observer.ExistsAsync(path) is null, TimeSpan.FromSeconds(10))).Should().BeTrue();
        (await client.ExistsAsync("/")).Should().NotBeNull();
    }

    [Fact]
    public async Task Expiry_RenewDisabled_CallsThrowSessionExpired()
    {
        await using var proxy = new TcpProxy(zk.Server.Port);
        await using var client = await Connect(proxy.ConnectString, renew: false);
        var states = new StateRecorder(client);

        proxy.Pause();
        (await states.SawAsync(c => c.State == ConnectionState.Expired, SessionTimeout * 3)).Should().BeTrue();
        proxy.Resume();

        var act = () => client.ExistsAsync("/");
        await act.Should().ThrowAsync<SessionExpiredException>();
        client.State.Should().Be(ConnectionState.Expired);
    }

    [Fact]
    public async Task Expiry_SilentNetworkLongerThanTimeout_ExpiredThenRenewed()
    {
        await using var proxy = new TcpProxy(zk.Server.Port);
        var log = new ListLogger();
        await using var client = await Connect(proxy.ConnectString, logger: log);
        var states = new StateRecorder(client);
        var oldSession = client.SessionId;

        proxy.Freeze();
        await Task.Delay(SessionTimeout + TimeSpan.FromMilliseconds(700));
        proxy.Thaw();

        (await states.SawAsync(c => c.State == ConnectionState.Connected && c.IsNewSession && c.SessionId != oldSession, TimeSpan.FromSeconds(10))).Should().BeTrue();
        states.Changes.Should().Contain(c => c.State == ConnectionState.Expired && c.SessionId == oldSession, string.Join("\n", states.Changes) + "\n" + string.Join("\n", log.Messages));
        log.Messages.Should().Contain(m => m.Contains("expired", StringComparison.OrdinalIgnoreCase));
        client.SessionId.Should().NotBe(oldSession);
    }

    [Fact]
    public async Task ConnectionStateChanged_OneHandlerThrows_LaterHandlersStillTold()
    {
        var client = await zk.ConnectAsync();
        client.ConnectionStateChanged += _ => throw new InvalidOperationException("a broken subscriber");
        var states = new StateRecorder(client);

        await client.DisposeAsync();

        states.Changes.Should().ContainSingle(c => c.State == ConnectionState.Closed);
    }

    [Fact]
    public async Task DisposeAsync_ClosingThenClosed_NoDisconnectReconnectOrNewSessionOnTheWay()
    {
        for (var i = 0; i < 5; i++)
        {
            var client = await zk.ConnectAsync();
            var session = client.SessionId;
            var states = new StateRecorder(client);

            await client.DisposeAsync();

            // The first Connected of the session may reach the recorder late: it is dispatched like every change.
            states.Changes.Where(c => c != new ConnectionStateChange(ConnectionState.Connected, session, true)).Should().Equal(
                [new ConnectionStateChange(ConnectionState.Closing, session, false), new ConnectionStateChange(ConnectionState.Closed, session, false)],
                "the server closing the socket after CloseSession is not an outage to recover from");
        }
    }

    [Fact]
    public async Task AbandonedRead_ReplyArrivesLater_ItsWatchIsNotRegistered()
    {
        await using var proxy = new TcpProxy(zk.Server.Port);
        await using var client = await Connect(proxy.ConnectString, sessionTimeout: TimeSpan.FromSeconds(10));
        await using var writer = await zk.ConnectAsync();
        var root = ZooKeeperServerFixture.UniqueRoot();
        await writer.CreateAsync(root, []);
        await writer.CreateAsync(root + "-sentinel", []);
        var abandoned = new WatchRecorder();
        var sentinel = new WatchRecorder();

        proxy.Freeze();
        var sentBefore = proxy.BytesFromClients;
        using var cts = new CancellationTokenSource();
        var read = client.GetDataAsync(root, abandoned, cts.Token);
        (await Eventually.TrueAsync(() => proxy.BytesFromClients > sentBefore, TimeSpan.FromSeconds(10))).Should().BeTrue("the request must be on the wire");
        await cts.CancelAsync();
        await read.Invoking(r => r).Should().ThrowAsync<OperationCanceledException>();
        proxy.Thaw();
        await client.GetDataAsync(root + "-sentinel", sentinel);
        await writer.SetDataAsync(root, [1]);
        await writer.SetDataAsync(root + "-sentinel", [1]);

        // Events come in order: once the sentinel's is in, the abandoned watch's would be too.
        (await sentinel.NextAsync()).Type.Should().Be(EventType.NodeDataChanged);
        abandoned.Count.Should().Be(0);
    }

    private static Task<ZooKeeperClient> Connect(string connectString, bool renew = true, TimeSpan? requestTimeout = null, TimeSpan? sessionTimeout = null, ListLogger? logger = null) =>
        ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions
        {
            ConnectString = connectString,
            SessionTimeout = sessionTimeout ?? SessionTimeout,
            RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(10),
            RenewSessionOnExpiry = renew,
        },
        logger);
}
