using Cloud.ZooKeeper.Recipes;
using Cloud.ZooKeeper.Tests.Session;
using FluentAssertions;

namespace Cloud.ZooKeeper.Tests.Recipes;

[Collection(ZooKeeperCollection.Name)]
[Trait("Category", "Integration")]
public sealed class EphemeralRegistrationTests(ZooKeeperServerFixture zk)
{
    [Fact]
    public async Task StartAsync_MissingParents_CreatesEphemeralWithData()
    {
        await using var client = await zk.ConnectAsync();
        var path = ZooKeeperServerFixture.UniqueRoot() + "/runners/host-1";
        await using var registration = new EphemeralRegistration(client, path);

        await registration.StartAsync([1, 2]);

        var node = await client.GetDataAsync(path);
        node.Data.Should().Equal(1, 2);
        node.Stat.EphemeralOwner.Should().Be(client.SessionId);
        registration.IsRegistered.Should().BeTrue();
    }

    [Fact]
    public async Task UpdateAsync_Registered_ReplacesData()
    {
        await using var client = await zk.ConnectAsync();
        var path = ZooKeeperServerFixture.UniqueRoot() + "/r";
        await using var registration = new EphemeralRegistration(client, path);
        await registration.StartAsync([1]);

        await registration.UpdateAsync([2]);

        (await client.GetDataAsync(path)).Data.Should().Equal(2);
    }

    [Fact]
    public async Task DisposeAsync_Registered_DeletesNode()
    {
        await using var client = await zk.ConnectAsync();
        var path = ZooKeeperServerFixture.UniqueRoot() + "/r";
        var registration = new EphemeralRegistration(client, path);
        await registration.StartAsync([1]);

        await registration.DisposeAsync();

        (await client.ExistsAsync(path)).Should().BeNull();
    }

    [Fact]
    public async Task NodeDeletedByOther_Registered_RecreatesIt()
    {
        await using var client = await zk.ConnectAsync();
        await using var other = await zk.ConnectAsync();
        var path = ZooKeeperServerFixture.UniqueRoot() + "/r";
        await using var registration = new EphemeralRegistration(client, path);
        await registration.StartAsync([1]);

        await other.DeleteAsync(path);

        (await Eventually.TrueAsync(async () => (await other.ExistsAsync(path))?.EphemeralOwner == client.SessionId, TimeSpan.FromSeconds(10))).Should().BeTrue();
    }

    [Fact]
    public async Task SessionExpired_Registered_RecreatedInNewSession()
    {
        await using var proxy = new TcpProxy(zk.Server.Port);
        await using var client = await ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions { ConnectString = proxy.ConnectString, SessionTimeout = TimeSpan.FromSeconds(2) });
        await using var observer = await zk.ConnectAsync();
        var path = ZooKeeperServerFixture.UniqueRoot() + "/r";
        await using var registration = new EphemeralRegistration(client, path);
        await registration.StartAsync([7]);
        var oldSession = client.SessionId;

        proxy.Pause();
        (await Eventually.TrueAsync(() => client.State == ConnectionState.Expired || client.SessionId != oldSession, TimeSpan.FromSeconds(10))).Should().BeTrue();
        proxy.Resume();

        (await Eventually.TrueAsync(
            async () => await observer.ExistsAsync(path) is { } stat && stat.EphemeralOwner == client.SessionId && client.SessionId != oldSession,
            TimeSpan.FromSeconds(15))).Should().BeTrue();
        (await observer.GetDataAsync(path)).Data.Should().Equal(7);
    }
}
