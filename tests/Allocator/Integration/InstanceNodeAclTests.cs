using System.Text;
using Cloud.Allocator.Status;
using Cloud.Allocator.Tests.Support;
using Cloud.Shared.Allocators;
using Cloud.Shared.Coordination;
using Cloud.Shared.Serialization;
using Cloud.Testing;
using Cloud.ZooKeeper;
using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Cloud.Allocator.Tests.Integration;

/// <summary>
/// With ZooKeeper identities, an instance node is changeable by the identity that published it only: the proxy
/// routes to its host and port. An allocator that finds its instance's node under another identity (it enrolled
/// again, with new credentials) takes it over. Against a real ZooKeeper with digest identities.
/// </summary>
[Collection(ZooKeeperCollection.Name)]
[Trait("Category", "Integration")]
public sealed class InstanceNodeAclTests(ZooKeeperServerFixture zk)
{
    private readonly string _clusterId = "acl" + Guid.NewGuid().ToString("N")[..10];

    [Fact]
    public async Task Publish_OnlyThePublishingIdentityChangesTheNode_AndANewIdentityOfTheSameAllocatorTakesItOver()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        await using var before = await ConnectAsAsync("alloc-" + suffix, "first-password");
        await using var after = await ConnectAsAsync("alloc-" + suffix, "second-password");
        await using var otherHost = await ConnectAsAsync("other-" + suffix, "other-password");
        await using var anonymous = await ConnectAsAsync(null, null);
        var path = CloudPaths.Instance(_clusterId, "instance-0000000001");

        await Publisher("alloc-" + suffix).PublishAsync(before, [Status("alloc-" + suffix, "running")], CancellationToken.None);
        // Read as the owner: ZooKeeper shows digests to those with ADMIN on the node only.
        (await before.GetAclAsync(path)).Should().Contain(Acl.Digest("alloc-" + suffix, "first-password", Permissions.All));

        foreach (var intruder in new[] { otherHost, anonymous })
        {
            var forge = () => intruder.SetDataAsync(path, Encoding.UTF8.GetBytes("{\"host\":\"attacker\"}"), -1);
            await forge.Should().ThrowAsync<NoAuthException>("another host must not point this instance's traffic elsewhere");
        }

        // Another allocator may still publish its own instances of the same cluster beside it.
        await Publisher("other-" + suffix).PublishAsync(otherHost, [Status("other-" + suffix, "running") with { InstanceName = "instance-0000000002" }], CancellationToken.None);

        // The same allocator, enrolled again: a fresh publisher (a restarted process) with the new identity.
        await Publisher("alloc-" + suffix).PublishAsync(after, [Status("alloc-" + suffix, "exited")], CancellationToken.None);
        var node = await anonymous.GetDataAsync(path);
        CloudJson.Deserialize<InstanceStatus>(node.Data).ContainerState.Should().Be("exited");
        (await after.GetAclAsync(path)).Should().Contain(Acl.Digest("alloc-" + suffix, "second-password", Permissions.All))
            .And.NotContain(Acl.Digest("alloc-" + suffix, "first-password", Permissions.All));
        var stale = () => before.SetDataAsync(path, Encoding.UTF8.GetBytes("{}"), -1);
        await stale.Should().ThrowAsync<NoAuthException>("the old credentials no longer change the node");
    }

    private InstanceStatus Status(string allocatorId, string state) => new()
    {
        ClusterId = _clusterId,
        InstanceName = "instance-0000000001",
        AllocatorId = allocatorId,
        Zone = "zone-1",
        Host = "127.0.0.1",
        HttpPort = 19200,
        ContainerState = state,
    };

    private static InstanceStatusPublisher Publisher(string allocatorId) => new(allocatorId, NullLogger<InstanceStatusPublisher>.Instance);

    /// <summary>A client as the agents connect (ZooKeeperConnection): the identity's create ACLs, then its digest.</summary>
    private async Task<ZooKeeperClient> ConnectAsAsync(string? user, string? password)
    {
        var client = await ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions
        {
            ConnectString = zk.Server.ConnectString,
            SessionTimeout = TimeSpan.FromSeconds(10),
            DefaultAcl = user is null ? null : path => PlatformOwnedNodes.CreateAclFor(path, user),
        });
        if (user is not null)
        {
            await client.AddAuthAsync("digest", Encoding.UTF8.GetBytes($"{user}:{password}"), CancellationToken.None);
        }

        return client;
    }
}
