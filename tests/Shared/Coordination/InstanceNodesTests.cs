using Cloud.Shared.Coordination;
using Cloud.ZooKeeper;
using FluentAssertions;
using Xunit;

namespace Cloud.Shared.Tests.Coordination;

/// <summary>The ACL an agent with an identity creates each kind of node with (golden table).</summary>
public sealed class InstanceNodesTests
{
    [Theory]
    [InlineData("/cloud/instances", "collection")]
    [InlineData("/cloud/instances/c1", "collection")]
    [InlineData("/cloud/instances/c1/instance-0000000001", "own")]
    [InlineData("/cloud/inspect/host-1/es-c1", "own")]
    [InlineData("/cloud/routing/c1", "own")]
    [InlineData("/cloud/instances-other/c1", "open")]
    [InlineData("/cloud/instancesx", "open")]
    [InlineData("/cloud/instances/c1/instance-0000000001/child", "open")]
    [InlineData("/cloud/allocators-ports/m", "open")]
    public void CreateAclFor_Path_AsDesigned(string path, string kind)
    {
        var expected = kind switch
        {
            "own" => HostOwnedNodes.CreatorAcl,
            "collection" => InstanceNodes.CollectionAcl,
            _ => Acl.OpenUnsafe,
        };
        PlatformOwnedNodes.CreateAclFor(path, "host-1").Should().BeSameAs(expected);
    }

    [Fact]
    public void CollectionAcl_LetsEveryoneReadCreateAndDeleteButNotRewrite()
    {
        InstanceNodes.CollectionAcl.Should().ContainSingle()
            .Which.Permissions.Should().Be(Permissions.Read | Permissions.Create | Permissions.Delete);
    }
}
