using System.Text;
using FluentAssertions;

namespace Cloud.ZooKeeper.Tests.Operations;

[Collection(ZooKeeperCollection.Name)]
[Trait("Category", "Integration")]
public sealed class AclTests(ZooKeeperServerFixture zk)
{
    [Fact]
    public async Task SetAclAsync_DigestUser_OnlyThatUserMayReadAndWriteAfterwards()
    {
        await using var admin = await zk.ConnectAsync();
        await using var host = await zk.ConnectAsync();
        await using var stranger = await zk.ConnectAsync();
        await host.AddAuthAsync("digest", Encoding.UTF8.GetBytes("host-1:pw"));
        var path = ZooKeeperServerFixture.UniqueRoot();
        await admin.CreateAsync(path, [1]);

        var stat = await admin.SetAclAsync(path, [Acl.Digest("host-1", "pw", Permissions.All)], aclVersion: 0);

        stat.Aversion.Should().Be(1);
        (await host.SetDataAsync(path, [2])).Version.Should().Be(1);
        (await host.GetDataAsync(path)).Data.Should().Equal(2);
        await stranger.Invoking(c => c.GetDataAsync(path)).Should().ThrowAsync<NoAuthException>();
        await stranger.Invoking(c => c.SetDataAsync(path, [3])).Should().ThrowAsync<NoAuthException>();
        var acl = await host.GetAclWithStatAsync(path);
        acl.Acl.Should().Equal(Acl.Digest("host-1", "pw", Permissions.All));
        acl.Stat.Aversion.Should().Be(1);
    }

    [Fact]
    public async Task SetAclAsync_WithoutAdminPermission_NoAuthAndAclUnchanged()
    {
        await using var owner = await zk.ConnectAsync();
        await using var other = await zk.ConnectAsync();
        await owner.AddAuthAsync("digest", Encoding.UTF8.GetBytes("owner:pw"));
        var path = ZooKeeperServerFixture.UniqueRoot();
        IReadOnlyList<Acl> protectedAcl = [Acl.Digest("owner", "pw", Permissions.All), new Acl(Permissions.Read | Permissions.Write, "world", "anyone")];
        await owner.CreateAsync(path, [1], acl: protectedAcl);

        var act = () => other.SetAclAsync(path, Acl.OpenUnsafe);

        await act.Should().ThrowAsync<NoAuthException>();
        var acl = await owner.GetAclWithStatAsync(path);
        acl.Acl.Should().Equal(protectedAcl);
        acl.Stat.Aversion.Should().Be(0);
    }

    [Fact]
    public async Task SetAclAsync_StaleAclVersion_BadVersionAndAclUnchanged()
    {
        await using var client = await zk.ConnectAsync();
        var path = ZooKeeperServerFixture.UniqueRoot();
        await client.CreateAsync(path, []);
        await client.SetAclAsync(path, Acl.ReadUnsafe.Concat([new Acl(Permissions.Admin, "world", "anyone")]).ToList(), aclVersion: 0);

        var stale = () => client.SetAclAsync(path, Acl.OpenUnsafe, aclVersion: 0);

        await stale.Should().ThrowAsync<BadVersionException>();
        var current = await client.GetAclWithStatAsync(path);
        current.Stat.Aversion.Should().Be(1);
        current.Acl.Should().NotEqual(Acl.OpenUnsafe);
        (await client.SetAclAsync(path, Acl.OpenUnsafe, aclVersion: current.Stat.Aversion)).Aversion.Should().Be(2);
        (await client.GetAclAsync(path)).Should().Equal(Acl.OpenUnsafe);
    }

    [Fact]
    public async Task MultiCreate_WithoutAcl_TakesTheClientsDefaultAclAsASingleCreateDoes()
    {
        IReadOnlyList<Acl> restricted = [new(Permissions.All, "auth", string.Empty), new(Permissions.Read, "world", "anyone")];
        await using var owner = await ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions
        {
            ConnectString = zk.ConnectString,
            SessionTimeout = TimeSpan.FromSeconds(4),
            RequestTimeout = TimeSpan.FromSeconds(10),
            DefaultAcl = _ => restricted,
        });
        await owner.AddAuthAsync("digest", Encoding.UTF8.GetBytes("owner:pw"));
        await using var stranger = await zk.ConnectAsync();
        var root = ZooKeeperServerFixture.UniqueRoot();

        await owner.MultiAsync([Op.Create(root, [1]), Op.Create(root + "/child", [2])]);

        IReadOnlyList<Acl> expected = [Acl.Digest("owner", "pw", Permissions.All), new(Permissions.Read, "world", "anyone")];
        (await owner.GetAclAsync(root)).Should().Equal(expected);
        (await owner.GetAclAsync(root + "/child")).Should().Equal(expected);
        await stranger.Invoking(c => c.SetDataAsync(root + "/child", [3])).Should().ThrowAsync<NoAuthException>();
    }

    [Fact]
    public async Task SetAclAsync_EmptyAcl_RefusedOnClient()
    {
        await using var client = await zk.ConnectAsync();
        var path = ZooKeeperServerFixture.UniqueRoot();
        await client.CreateAsync(path, []);

        var act = () => client.SetAclAsync(path, []);

        await act.Should().ThrowAsync<InvalidAclException>();
        (await client.GetAclWithStatAsync(path)).Stat.Aversion.Should().Be(0);
    }

    [Fact]
    public async Task SetAclAsync_Chroot_AppliesToTheMappedNode()
    {
        var root = ZooKeeperServerFixture.UniqueRoot();
        await using var plain = await zk.ConnectAsync();
        await plain.CreateRecursiveAsync(root + "/node");
        await using var rooted = await zk.ConnectAsync(chroot: root);

        await rooted.SetAclAsync("/node", Acl.ReadUnsafe.Concat([new Acl(Permissions.Admin, "world", "anyone")]).ToList());

        await plain.Invoking(c => c.SetDataAsync(root + "/node", [1])).Should().ThrowAsync<NoAuthException>();
    }
}
