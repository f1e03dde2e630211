using FluentAssertions;

namespace Cloud.ZooKeeper.Tests.Operations;

[Collection(ZooKeeperCollection.Name)]
[Trait("Category", "Integration")]
public sealed class MultiTests(ZooKeeperServerFixture zk)
{
    [Fact]
    public async Task MultiAsync_AllOpsValid_AppliedAtomicallyWithResults()
    {
        await using var client = await zk.ConnectAsync();
        var root = ZooKeeperServerFixture.UniqueRoot();
        await client.CreateAsync(root, []);
        await client.CreateAsync(root + "/old", []);
        await client.CreateAsync(root + "/cas", [1]);

        var results = await client.MultiAsync(
        [
            Op.Check(root + "/cas", 0),
            Op.Create(root + "/new", [1]),
            Op.Create(root + "/seq-", [], CreateMode.PersistentSequential),
            Op.SetData(root + "/cas", [2], 0),
            Op.Delete(root + "/old", 0),
        ]);

        results[0].Should().BeOfType<CheckResult>();
        results[1].Should().Be(new CreateResult(root + "/new"));
        results[2].Should().BeOfType<CreateResult>().Which.Path.Should().StartWith(root + "/seq-");
        results[3].Should().BeOfType<SetDataResult>().Which.Stat.Version.Should().Be(1);
        results[4].Should().BeOfType<DeleteResult>();
        (await client.ExistsAsync(root + "/old")).Should().BeNull();
    }

    [Fact]
    public async Task MultiAsync_FailedCheck_NothingAppliedAndTypedError()
    {
        await using var client = await zk.ConnectAsync();
        var root = ZooKeeperServerFixture.UniqueRoot();
        await client.CreateAsync(root, [1]);

        var act = () => client.MultiAsync([Op.Create(root + "/a", []), Op.Check(root, 5), Op.SetData(root, [2])]);

        var error = (await act.Should().ThrowAsync<BadVersionException>()).Which;
        error.Path.Should().Be(root);
        error.MultiResults.Should().HaveCount(3);
        error.MultiResults![1].Should().Be(new ErrorResult(ErrorCode.BadVersion));
        (await client.ExistsAsync(root + "/a")).Should().BeNull();
        (await client.GetDataAsync(root)).Data.Should().Equal(1);
    }

    [Fact]
    public async Task MultiAsync_Chroot_PathsPrefixedAndStripped()
    {
        var root = ZooKeeperServerFixture.UniqueRoot();
        await using var plain = await zk.ConnectAsync();
        await plain.CreateAsync(root, []);
        await using var rooted = await zk.ConnectAsync(chroot: root);

        var results = await rooted.MultiAsync([Op.Create("/x", [])]);

        results[0].Should().Be(new CreateResult("/x"));
        (await plain.ExistsAsync(root + "/x")).Should().NotBeNull();
    }
}
