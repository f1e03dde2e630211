using System.Buffers.Binary;
using Cloud.ZooKeeper.Recipes;
using Cloud.ZooKeeper.Tests.Session;
using Cloud.ZooKeeper.Tests.Watches;
using FluentAssertions;

namespace Cloud.ZooKeeper.Tests.Ensemble;

[Trait("Category", "Integration")]
public sealed class EnsembleTests(ZooKeeperEnsembleFixture fixture) : IClassFixture<ZooKeeperEnsembleFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ServerKilled_WhileClientsReadAndWrite_NoSessionLostNoWatchMissed()
    {
        await using var writer = await fixture.ConnectAsync(TimeSpan.FromSeconds(8));
        await using var reader = await fixture.ConnectAsync(TimeSpan.FromSeconds(8));
        var readerStates = new StateRecorder(reader);
        var writerStates = new StateRecorder(writer);
        var root = ZooKeeperServerFixture.UniqueRoot();
        await writer.CreateRecursiveAsync(root + "/items");
        await writer.CreateAsync(root + "/flag", [0]);
        await reader.CreateAsync(root + "/reader-alive", [], CreateMode.Ephemeral);
        await using var cache = new ChildrenCache(reader, root + "/items");
        await cache.StartAsync();
        var flagWatch = new WatchRecorder();
        await reader.GetDataAsync(root + "/flag", flagWatch);
        var readerSession = reader.SessionId;
        var writerSession = writer.SessionId;
        var victim = fixture.Ensemble.Members.First(m => m.ConnectString == reader.ConnectedServer);

        using var stop = new CancellationTokenSource();
        var writes = WriteLoopAsync(writer, root + "/items", stop.Token);
        var reads = ReadLoopAsync(reader, root + "/items", stop.Token);
        await Task.Delay(500);
        await victim.StopAsync();
        var seenAtKill = cache.Current.Children.Count;
        await RetryAsync(() => writer.SetDataAsync(root + "/flag", [1]));
        (await Eventually.TrueAsync(() => cache.Current.IsConnected && cache.Current.Children.Count >= seenAtKill + 10, Wait))
            .Should().BeTrue("writes go on, and the reader's cache keeps seeing them, after its server was killed");
        await stop.CancelAsync();
        var written = await writes;
        var readCount = await reads;
        await victim.StartAgainAsync();

        (await flagWatch.NextAsync(Wait)).Should().Be(new WatchedEvent(EventType.NodeDataChanged, KeeperState.SyncConnected, root + "/flag"));
        reader.SessionId.Should().Be(readerSession);
        writer.SessionId.Should().Be(writerSession);
        readerStates.Changes.Should().NotContain(c => c.State == ConnectionState.Expired);
        writerStates.Changes.Should().NotContain(c => c.State == ConnectionState.Expired);
        readerStates.Changes.Should().Contain(c => c.State == ConnectionState.Connected && !c.IsNewSession);
        (await writer.ExistsAsync(root + "/reader-alive"))!.EphemeralOwner.Should().Be(readerSession);
        written.Should().BeGreaterThan(10);
        readCount.Should().BeGreaterThan(10);
        (await Eventually.TrueAsync(() => cache.Current.IsConnected && cache.Current.Children.Count == written, Wait)).Should().BeTrue();
        var last = cache.Current.Children[$"item-{written - 1:D5}"];
        BinaryPrimitives.ReadInt32BigEndian(last.Data).Should().Be(written - 1);
    }

    [Fact]
    public async Task AllServersDown_LongerThanSessionTimeout_ExpiryDetectedAndRecipesRecover()
    {
        var sessionTimeout = TimeSpan.FromSeconds(2);
        await using var client = await fixture.ConnectAsync(sessionTimeout);
        var states = new StateRecorder(client);
        var root = ZooKeeperServerFixture.UniqueRoot();
        await using var registration = new EphemeralRegistration(client, root + "/runners/host-1");
        await registration.StartAsync([1]);
        await using var cache = new ChildrenCache(client, root + "/containers");
        await cache.StartAsync();
        var election = new LeaderElection(client, root + "/leader", "me");
        var leadership = await election.AcquireAsync();
        var watcher = new WatchRecorder();
        await client.ExistsAsync(root + "/never", watcher);
        var oldSession = client.SessionId;

        await fixture.Ensemble.StopAllAsync();
        (await states.SawAsync(c => c.State == ConnectionState.Expired, Wait)).Should().BeTrue();
        await Task.Delay(sessionTimeout);
        await fixture.Ensemble.StartAllAgainAsync();

        // The observer connects only now: any session alive through the outage would itself expire
        // when the restart takes longer than its timeout (a loaded machine starts three JVMs slowly).
        await using var other = await fixture.ConnectAsync(TimeSpan.FromSeconds(8));

        (await states.SawAsync(c => c.State == ConnectionState.Connected && c.IsNewSession && c.SessionId != oldSession, Wait)).Should().BeTrue();
        leadership.IsLost.Should().BeTrue();
        (await watcher.NextAsync(Wait)).State.Should().Be(KeeperState.Expired);
        (await Eventually.TrueAsync(
            async () => (await other.ExistsAsync(root + "/runners/host-1"))?.EphemeralOwner == client.SessionId,
            Wait)).Should().BeTrue();
        await other.CreateAsync(root + "/containers/c1", [5]);
        (await Eventually.TrueAsync(() => cache.Current.IsConnected && cache.Current.Children.ContainsKey("c1"), Wait)).Should().BeTrue();
        await leadership.DisposeAsync();
        await using var again = await election.AcquireAsync().WaitAsync(Wait);
        again.SessionId.Should().Be(client.SessionId);
    }

    private static async Task RetryAsync(Func<Task> action)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await action();
                return;
            }
            catch (ZooKeeperException ex) when (ex.IsTransient && attempt < 20)
            {
                await Task.Delay(100);
            }
        }
    }

    private static async Task<int> WriteLoopAsync(ZooKeeperClient client, string parent, CancellationToken cancellationToken)
    {
        var i = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var data = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(data, i);
            try
            {
                await client.CreateAsync($"{parent}/item-{i:D5}", data, cancellationToken: CancellationToken.None);
                i++;
            }
            catch (NodeExistsException)
            {
                i++; // The create went through before a connection loss hid its reply.
            }
            catch (ZooKeeperException ex) when (ex.IsTransient)
            {
            }

            await Task.Delay(20, CancellationToken.None);
        }

        return i;
    }

    private static async Task<int> ReadLoopAsync(ZooKeeperClient client, string parent, CancellationToken cancellationToken)
    {
        var reads = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await client.GetChildrenAsync(parent, null, CancellationToken.None);
                reads++;
            }
            catch (ZooKeeperException ex) when (ex.IsTransient)
            {
            }

            await Task.Delay(20, CancellationToken.None);
        }

        return reads;
    }
}
