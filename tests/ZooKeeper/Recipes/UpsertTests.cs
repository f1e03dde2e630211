using FluentAssertions;

namespace Cloud.ZooKeeper.Tests.Recipes;

[Collection(ZooKeeperCollection.Name)]
[Trait("Category", "Integration")]
public sealed class UpsertTests(ZooKeeperServerFixture zk)
{
    [Fact]
    public async Task Upsert_Absent_CreatedWithItsParents()
    {
        await using var client = await zk.ConnectAsync();
        var path = ZooKeeperServerFixture.UniqueRoot() + "/a/b";

        (await client.UpsertAsync(path, [1])).Should().BeTrue();

        var node = await client.GetDataAsync(path);
        node.Data.Should().Equal(1);
        node.Stat.Version.Should().Be(0);
    }

    [Fact]
    public async Task Upsert_Present_ReplacesTheData()
    {
        await using var client = await zk.ConnectAsync();
        var path = ZooKeeperServerFixture.UniqueRoot();
        await client.CreateAsync(path, [1]);

        (await client.UpsertAsync(path, [1])).Should().BeTrue();
        (await client.UpsertAsync(path, [2])).Should().BeTrue();

        var node = await client.GetDataAsync(path);
        node.Data.Should().Equal(2);
        node.Stat.Version.Should().Be(2, "without skipIfSame every call writes");
    }

    [Fact]
    public async Task Upsert_SkipIfSame_EqualValueNotWrittenAgain()
    {
        await using var client = await zk.ConnectAsync();
        var path = ZooKeeperServerFixture.UniqueRoot();
        await client.CreateAsync(path, [7]);

        (await client.UpsertAsync(path, [7], skipIfSame: true)).Should().BeFalse();
        (await client.GetDataAsync(path)).Stat.Version.Should().Be(0);
        (await client.UpsertAsync(path, [8], skipIfSame: true)).Should().BeTrue();
        (await client.GetDataAsync(path)).Stat.Version.Should().Be(1);
    }

    [Fact]
    public async Task Upsert_ManyWritersRaceOnAnAbsentNode_EveryCallSucceedsAndOneValueWins()
    {
        await using var first = await zk.ConnectAsync();
        await using var second = await zk.ConnectAsync();
        var path = ZooKeeperServerFixture.UniqueRoot() + "/raced";

        var writes = Enumerable.Range(0, 20).Select(i => (i % 2 == 0 ? first : second).UpsertAsync(path, [(byte)i], skipIfSame: i % 3 == 0));
        await Task.WhenAll(writes);

        var node = await first.GetDataAsync(path);
        node.Data.Should().ContainSingle().Which.Should().BeLessThan(20);
    }
}
