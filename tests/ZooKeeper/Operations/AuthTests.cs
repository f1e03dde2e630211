using System.Text;
using Cloud.ZooKeeper.Tests.Session;
using FluentAssertions;

namespace Cloud.ZooKeeper.Tests.Operations;

[Collection(ZooKeeperCollection.Name)]
[Trait("Category", "Integration")]
public sealed class AuthTests(ZooKeeperServerFixture zk)
{
    [Fact]
    public async Task DigestAcl_OtherSessionWithoutAuth_ThrowsNoAuth()
    {
        await using var owner = await zk.ConnectAsync();
        await using var stranger = await zk.ConnectAsync();
        await owner.AddAuthAsync("digest", Encoding.UTF8.GetBytes("alice:secret"));
        var path = ZooKeeperServerFixture.UniqueRoot();
        await owner.CreateAsync(path, [1], acl: Acl.CreatorAll);

        var read = () => stranger.GetDataAsync(path);
        var write = () => stranger.SetDataAsync(path, [2]);

        await read.Should().ThrowAsync<NoAuthException>();
        await write.Should().ThrowAsync<NoAuthException>();
        (await owner.GetDataAsync(path)).Data.Should().Equal(1);
    }

    [Fact]
    public async Task DigestAcl_SameCredentialsOtherSession_Allowed()
    {
        await using var owner = await zk.ConnectAsync();
        await using var friend = await zk.ConnectAsync();
        var path = ZooKeeperServerFixture.UniqueRoot();
        await owner.CreateAsync(path, [1], acl: [Acl.Digest("bob", "pw", Permissions.All)]);
        await friend.AddAuthAsync("digest", Encoding.UTF8.GetBytes("bob:pw"));

        await friend.SetDataAsync(path, [2]);

        (await friend.GetDataAsync(path)).Data.Should().Equal(2);
        await owner.Invoking(o => o.GetAclAsync(path)).Should().ThrowAsync<NoAuthException>();
    }

    [Fact]
    public async Task ReadOnlyAcl_Write_ThrowsNoAuthButReadWorks()
    {
        await using var client = await zk.ConnectAsync();
        var path = ZooKeeperServerFixture.UniqueRoot();
        await client.CreateAsync(path, [1], acl: Acl.ReadUnsafe);

        var write = () => client.SetDataAsync(path, [2]);

        await write.Should().ThrowAsync<NoAuthException>();
        (await client.GetDataAsync(path)).Data.Should().Equal(1);
        (await client.GetAclAsync(path)).Should().Equal(Acl.ReadUnsafe);
    }

    [Fact]
    public async Task CreatorAll_WithoutAuth_ThrowsInvalidAcl()
    {
        await using var client = await zk.ConnectAsync();

        var act = () => client.CreateAsync(ZooKeeperServerFixture.UniqueRoot(), [], acl: Acl.CreatorAll);

        await act.Should().ThrowAsync<InvalidAclException>();
    }

    [Fact]
    public async Task Auth_AfterReconnect_IsSentAgain()
    {
        await using var proxy = new TcpProxy(zk.Server.Port);
        await using var client = await ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions { ConnectString = proxy.ConnectString, SessionTimeout = TimeSpan.FromSeconds(4) });
        var states = new StateRecorder(client);
        await client.AddAuthAsync("digest", Encoding.UTF8.GetBytes("carol:pw"));
        var path = ZooKeeperServerFixture.UniqueRoot();
        await client.CreateAsync(path, [1], acl: Acl.CreatorAll);

        proxy.Pause();
        await states.SawAsync(c => c.State == ConnectionState.Disconnected, TimeSpan.FromSeconds(5));
        proxy.Resume();

        (await client.SetDataAsync(path, [2])).Version.Should().Be(1);
    }
}
