using System.Text;
using FluentAssertions;

namespace Cloud.ZooKeeper.Tests.Operations;

[Collection(ZooKeeperCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ZooKeeperClientOperationsTests(ZooKeeperServerFixture zk)
{
    private static readonly byte[] Hello = Encoding.UTF8.GetBytes("hello");

    [Fact]
    public async Task CreateAsync_Persistent_NodeReadableWithDataAndStat()
    {
        await using var client = await zk.ConnectAsync();
        var path = ZooKeeperServerFixture.UniqueRoot();

        var created = await client.CreateAsync(path, Hello);
        var result = await client.GetDataAsync(path);

        created.Should().Be(path);
        result.Data.Should().Equal(Hello);
        result.Stat.Version.Should().Be(0);
        result.Stat.DataLength.Should().Be(5);
        result.Stat.EphemeralOwner.Should().Be(0);
    }

    [Fact]
    public async Task CreateAsync_Existing_ThrowsNodeExists()
    {
        await using var client = await zk.ConnectAsync();
        var path = ZooKeeperServerFixture.UniqueRoot();
        await client.CreateAsync(path, Hello);

        var act = () => client.CreateAsync(path, Hello);

        (await act.Should().ThrowAsync<NodeExistsException>()).Which.Path.Should().Be(path);
    }

    [Fact]
    public async Task CreateAsync_MissingParent_ThrowsNoNode()
    {
        await using var client = await zk.ConnectAsync();

        var act = () => client.CreateAsync(ZooKeeperServerFixture.UniqueRoot() + "/child", Hello);

        await act.Should().ThrowAsync<NoNodeException>();
    }

    [Fact]
    public async Task CreateAsync_Sequential_AppendsIncreasingTenDigitCounter()
    {
        await using var client = await zk.ConnectAsync();
        var root = ZooKeeperServerFixture.UniqueRoot();
        await client.CreateAsync(root, []);

        var first = await client.CreateAsync(root + "/item-", Hello, CreateMode.PersistentSequential);
        var second = await client.CreateAsync(root + "/item-", Hello, CreateMode.PersistentSequential);

        first.Should().Be(root + "/item-0000000000");
        second.Should().Be(root + "/item-0000000001");
    }

    [Fact]
    public async Task CreateAsync_Ephemeral_OwnedBySessionAndGoneAfterClose()
    {
        var path = ZooKeeperServerFixture.UniqueRoot();
        await using var observer = await zk.ConnectAsync();
        var owner = await zk.ConnectAsync();

        await owner.CreateAsync(path, Hello, CreateMode.Ephemeral);
        var stat = await observer.ExistsAsync(path);
        var ownerSession = owner.SessionId;
        await owner.DisposeAsync();

        stat!.EphemeralOwner.Should().Be(ownerSession);
        (await observer.ExistsAsync(path)).Should().BeNull();
        owner.State.Should().Be(ConnectionState.Closed);
    }

    [Fact]
    public async Task CreateAsync_EphemeralSequential_CreatesEphemeralWithCounter()
    {
        await using var client = await zk.ConnectAsync();
        var root = ZooKeeperServerFixture.UniqueRoot();
        await client.CreateAsync(root, []);

        var created = await client.CreateAsync(root + "/e-", Hello, CreateMode.EphemeralSequential);

        created.Should().MatchRegex("/e-[0-9]{10}$");
        (await client.ExistsAsync(created))!.EphemeralOwner.Should().Be(client.SessionId);
    }

    [Fact]
    public async Task CreateAsync_EphemeralParent_ThrowsNoChildrenForEphemerals()
    {
        await using var client = await zk.ConnectAsync();
        var path = ZooKeeperServerFixture.UniqueRoot();
        await client.CreateAsync(path, [], CreateMode.Ephemeral);

        var act = () => client.CreateAsync(path + "/child", []);

        await act.Should().ThrowAsync<NoChildrenForEphemeralsException>();
    }

    [Fact]
    public async Task CreateRecursiveAsync_DeepPath_CreatesParentsAndIsIdempotent()
    {
        await using var client = await zk.ConnectAsync();
        var path = ZooKeeperServerFixture.UniqueRoot() + "/a/b/c";

        await client.CreateRecursiveAsync(path, Hello);
        await client.CreateRecursiveAsync(path, Hello);

        (await client.GetDataAsync(path)).Data.Should().Equal(Hello);
    }

    [Fact]
    public async Task SetDataAsync_MatchingVersion_BumpsVersion()
    {
        await using var client = await zk.ConnectAsync();
        var path = ZooKeeperServerFixture.UniqueRoot();
        await client.CreateAsync(path, Hello);

        var stat = await client.SetDataAsync(path, [1, 2, 3], version: 0);

        stat.Version.Should().Be(1);
        (await client.GetDataAsync(path)).Data.Should().Equal(1, 2, 3);
    }

    [Fact]
    public async Task SetDataAsync_StaleVersion_ThrowsBadVersion()
    {
        await using var client = await zk.ConnectAsync();
        var path = ZooKeeperServerFixture.UniqueRoot();
        await client.CreateAsync(path, Hello);
        await client.SetDataAsync(path, Hello);

        var act = () => client.SetDataAsync(path, Hello, version: 0);

        await act.Should().ThrowAsync<BadVersionException>();
    }

    [Fact]
    public async Task SetDataAsync_MissingNode_ThrowsNoNode()
    {
        await using var client = await zk.ConnectAsync();

        var act = () => client.SetDataAsync(ZooKeeperServerFixture.UniqueRoot(), Hello);

        await act.Should().ThrowAsync<NoNodeException>();
    }

    [Fact]
    public async Task DeleteAsync_StaleVersion_ThrowsBadVersionAndKeepsNode()
    {
        await using var client = await zk.ConnectAsync();
        var path = ZooKeeperServerFixture.UniqueRoot();
        await client.CreateAsync(path, Hello);
        await client.SetDataAsync(path, Hello);

        var act = () => client.DeleteAsync(path, version: 0);

        await act.Should().ThrowAsync<BadVersionException>();
        (await client.ExistsAsync(path)).Should().NotBeNull();
    }

    [Fact]
    public async Task DeleteAsync_MatchingVersion_RemovesNode()
    {
        await using var client = await zk.ConnectAsync();
        var path = ZooKeeperServerFixture.UniqueRoot();
        await client.CreateAsync(path, Hello);

        await client.DeleteAsync(path, version: 0);

        (await client.ExistsAsync(path)).Should().BeNull();
    }

    [Fact]
    public async Task DeleteAsync_NodeWithChildren_ThrowsNotEmpty()
    {
        await using var client = await zk.ConnectAsync();
        var path = ZooKeeperServerFixture.UniqueRoot();
        await client.CreateRecursiveAsync(path + "/child");

        var act = () => client.DeleteAsync(path);

        await act.Should().ThrowAsync<NotEmptyException>();
    }

    [Fact]
    public async Task DeleteAsync_MissingNode_ThrowsNoNode()
    {
        await using var client = await zk.ConnectAsync();

        var act = () => client.DeleteAsync(ZooKeeperServerFixture.UniqueRoot());

        await act.Should().ThrowAsync<NoNodeException>();
    }

    [Fact]
    public async Task GetDataAsync_MissingNode_ThrowsNoNode()
    {
        await using var client = await zk.ConnectAsync();

        var act = () => client.GetDataAsync(ZooKeeperServerFixture.UniqueRoot());

        await act.Should().ThrowAsync<NoNodeException>();
    }

    [Fact]
    public async Task GetChildrenAsync_WithChildren_ReturnsNamesAndStat()
    {
        await using var client = await zk.ConnectAsync();
        var path = ZooKeeperServerFixture.UniqueRoot();
        await client.CreateAsync(path, []);
        await client.CreateAsync(path + "/a", []);
        await client.CreateAsync(path + "/b", []);

        var result = await client.GetChildrenAsync(path);

        result.Children.Should().BeEquivalentTo("a", "b");
        result.Stat.NumChildren.Should().Be(2);
        result.Stat.Cversion.Should().Be(2);
    }

    [Fact]
    public async Task SyncAsync_ExistingPath_Completes()
    {
        await using var client = await zk.ConnectAsync();

        await client.SyncAsync("/");
    }

    [Fact]
    public async Task Chroot_AllOperations_ArePrefixedAndStripped()
    {
        var root = ZooKeeperServerFixture.UniqueRoot();
        await using var plain = await zk.ConnectAsync();
        await plain.CreateAsync(root, []);
        await using var rooted = await zk.ConnectAsync(chroot: root);

        var created = await rooted.CreateAsync("/seq-", Hello, CreateMode.PersistentSequential);
        var children = await rooted.GetChildrenAsync("/");

        created.Should().Be("/seq-0000000000");
        children.Children.Should().Equal("seq-0000000000");
        (await plain.GetDataAsync(root + created)).Data.Should().Equal(Hello);
    }

    [Theory]
    [InlineData("")]
    [InlineData("relative")]
    [InlineData("/trailing/")]
    [InlineData("/double//slash")]
    [InlineData("/dot/./x")]
    [InlineData("/dotdot/..")]
    [InlineData("/nul\0char")]
    [InlineData("/ctl\u0001char")]
    public async Task AnyCall_InvalidPath_ThrowsInvalidPathWithoutRoundTrip(string path)
    {
        await using var client = await zk.ConnectAsync();

        var act = () => client.GetDataAsync(path);

        (await act.Should().ThrowAsync<InvalidPathException>()).Which.Code.Should().Be(ErrorCode.BadArguments);
        (await client.ExistsAsync("/")).Should().NotBeNull();
    }

    [Fact]
    public async Task SetDataAsync_OverOneMegabyte_ThrowsDataTooLargeAndKeepsConnection()
    {
        await using var client = await zk.ConnectAsync();
        var path = ZooKeeperServerFixture.UniqueRoot();
        await client.CreateAsync(path, Hello);
        var session = client.SessionId;

        var act = () => client.SetDataAsync(path, new byte[1024 * 1024]);

        (await act.Should().ThrowAsync<DataTooLargeException>()).Which.Message.Should().Contain("1 MB");
        client.State.Should().Be(ConnectionState.Connected);
        client.SessionId.Should().Be(session);
        (await client.GetDataAsync(path)).Data.Should().Equal(Hello);
    }

    [Fact]
    public async Task SetDataAsync_JustUnderLimit_IsStored()
    {
        await using var client = await zk.ConnectAsync();
        var path = ZooKeeperServerFixture.UniqueRoot();
        await client.CreateAsync(path, []);
        var data = new byte[1024 * 1024 - 1024];
        data[^1] = 42;

        await client.SetDataAsync(path, data);

        (await client.GetDataAsync(path)).Data.Should().Equal(data);
    }

    [Fact]
    public async Task AnyCall_CancelledToken_ThrowsOperationCanceled()
    {
        await using var client = await zk.ConnectAsync();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        var act = () => client.GetDataAsync("/", null, cts.Token);

        await act.Should().ThrowAsync<OperationCanceledException>();
    }

    [Fact]
    public async Task PipelinedCalls_ThousandsConcurrent_AllSucceedInOneSession()
    {
        await using var client = await zk.ConnectAsync();
        var path = ZooKeeperServerFixture.UniqueRoot();
        await client.CreateAsync(path, new byte[1024]);
        var session = client.SessionId;

        var tasks = Enumerable.Range(0, 5000)
            .Select(i => i % 2 == 0 ? (Task)client.GetDataAsync(path) : client.SetDataAsync(path, new byte[1024]))
            .ToArray();
        await Task.WhenAll(tasks);

        client.SessionId.Should().Be(session);
        (await client.ExistsAsync(path))!.Version.Should().Be(2500);
    }

    [Fact]
    public async Task DisposeAsync_PendingCallsAfterClose_ThrowObjectDisposed()
    {
        var client = await zk.ConnectAsync();
        await client.DisposeAsync();

        var act = () => client.ExistsAsync("/");

        await act.Should().ThrowAsync<ObjectDisposedException>();
    }
}
