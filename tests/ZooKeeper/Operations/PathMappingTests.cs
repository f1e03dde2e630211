using FluentAssertions;

namespace Cloud.ZooKeeper.Tests.Operations;

/// <summary>How client paths become server paths (chroot, sequential suffixes) and how bad ones are refused.</summary>
[Collection(ZooKeeperCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PathMappingTests(ZooKeeperServerFixture zk)
{
    [Fact]
    public async Task DeleteAsync_RootUnderChroot_RefusedByServerAndChrootKept()
    {
        var root = ZooKeeperServerFixture.UniqueRoot();
        await using var plain = await zk.ConnectAsync();
        await plain.CreateAsync(root, []);
        await using var rooted = await zk.ConnectAsync(chroot: root);

        var act = () => rooted.DeleteAsync("/");

        await act.Should().ThrowAsync<ZooKeeperException>();
        (await plain.ExistsAsync(root)).Should().NotBeNull("deleting the client's root must never delete the chroot node");
    }

    [Fact]
    public async Task MultiDelete_RootUnderChroot_RefusedAndChrootKept()
    {
        var root = ZooKeeperServerFixture.UniqueRoot();
        await using var plain = await zk.ConnectAsync();
        await plain.CreateAsync(root, []);
        await using var rooted = await zk.ConnectAsync(chroot: root);

        var act = () => rooted.MultiAsync([Op.Delete("/")]);

        await act.Should().ThrowAsync<ZooKeeperException>();
        (await plain.ExistsAsync(root)).Should().NotBeNull();
    }

    [Fact]
    public async Task CreateSequential_RootUnderChroot_CounterLandsInsideTheChroot()
    {
        var root = ZooKeeperServerFixture.UniqueRoot();
        await using var plain = await zk.ConnectAsync();
        await plain.CreateAsync(root, []);
        await using var rooted = await zk.ConnectAsync(chroot: root);

        var created = await rooted.CreateAsync("/", [], CreateMode.PersistentSequential);

        created.Should().MatchRegex("^/[0-9]{10}$");
        (await plain.ExistsAsync(root + created)).Should().NotBeNull();
    }

    [Theory]
    [InlineData("/.")]
    [InlineData("/..")]
    [InlineData("/")]
    public async Task CreateSequential_LastSegmentDotOrEmpty_AcceptedBecauseTheCounterIsAppended(string suffix)
    {
        await using var client = await zk.ConnectAsync();
        var root = ZooKeeperServerFixture.UniqueRoot();
        await client.CreateAsync(root, []);

        var created = await client.CreateAsync(root + suffix, [], CreateMode.PersistentSequential);
        var inMulti = await client.MultiAsync([Op.Create(root + suffix, [], CreateMode.EphemeralSequential)]);

        created.Should().MatchRegex($"^{root}{System.Text.RegularExpressions.Regex.Escape(suffix)}[0-9]{{10}}$");
        inMulti[0].Should().BeOfType<CreateResult>().Which.Path.Should().StartWith(root + suffix);
    }

    [Theory]
    [InlineData("/p//")]
    [InlineData("/p/./")]
    [InlineData("relative")]
    public async Task CreateSequential_InvalidEvenWithCounter_Refused(string path)
    {
        await using var client = await zk.ConnectAsync();

        var act = () => client.CreateAsync(path, [], CreateMode.PersistentSequential);

        await act.Should().ThrowAsync<InvalidPathException>();
    }

    [Fact]
    public async Task MultiAsync_InvalidPath_PerOpResultsAndNothingSent()
    {
        await using var client = await zk.ConnectAsync();
        var root = ZooKeeperServerFixture.UniqueRoot();

        var act = () => client.MultiAsync([Op.Create(root, []), Op.SetData("/bad//path", []), Op.Check(root, 0), Op.Delete("relative")]);

        var error = (await act.Should().ThrowAsync<InvalidPathException>()).Which;
        error.Path.Should().Be("/bad//path");
        error.MultiResults.Should().Equal(
            new ErrorResult(ErrorCode.RuntimeInconsistency),
            new ErrorResult(ErrorCode.BadArguments),
            new ErrorResult(ErrorCode.RuntimeInconsistency),
            new ErrorResult(ErrorCode.BadArguments));
        (await client.ExistsAsync(root)).Should().BeNull();
    }
}
