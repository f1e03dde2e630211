using Cloud.Shared.Coordination;
using FluentAssertions;
using Xunit;

namespace Cloud.Shared.Tests.Coordination;

/// <summary>Which paths an enrolled host creates writable by itself alone (golden table).</summary>
public sealed class HostOwnedNodesTests
{
    [Theory]
    [InlineData("/cloud/runners/host-1", true)]
    [InlineData("/cloud/allocators/host-1", true)]
    [InlineData("/cloud/allocators-meta/host-1", true)]
    [InlineData("/cloud/proxies/host-1", true)]
    [InlineData("/cloud/inspect/host-1", true)]
    [InlineData("/cloud/inspect/host-1/es-c1-instance-0", true)]
    [InlineData("/cloud/containers/host-1", true)]
    [InlineData("/cloud/containers/host-1/es-c1-instance-0", true)]
    [InlineData("/cloud/runners/host-10", false)]
    [InlineData("/cloud/runners/host-1/child", false)]
    [InlineData("/cloud/inspect/host-10/x", false)]
    [InlineData("/cloud/inspect/host-2/x", false)]
    [InlineData("/cloud/runners", false)]
    [InlineData("/cloud/inspect", false)]
    [InlineData("/cloud/instances/c1/host-1", false)]
    [InlineData("/cloud/allocators-ports/m/host-1", false)]
    [InlineData("/cloud/allocators-work/host-1", false)]
    public void IsOwnedBy_Path_AsDesigned(string path, bool owned)
    {
        HostOwnedNodes.IsOwnedBy(path, "host-1").Should().Be(owned);
    }

    [Fact]
    public void ParentAcl_LetsEveryoneCreateButNobodyDelete()
    {
        HostOwnedNodes.ParentAcl.Should().ContainSingle()
            .Which.Permissions.Should().Be(Cloud.ZooKeeper.Permissions.Read | Cloud.ZooKeeper.Permissions.Create);
    }
}
