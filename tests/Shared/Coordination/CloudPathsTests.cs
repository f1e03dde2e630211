using Cloud.Shared.Allocators;
using Cloud.Shared.Coordination;
using Cloud.Shared.Serialization;
using FluentAssertions;
using Xunit;

namespace Cloud.Shared.Tests.Coordination;

public sealed class CloudPathsTests
{
    [Fact]
    public void ContractPaths_AreExactlyAsDesigned()
    {
        CloudPaths.Container("host-1", "es-c1-instance-0").Should().Be("/cloud/containers/host-1/es-c1-instance-0");
        CloudPaths.InspectedContainer("host-1", "es-c1-instance-0").Should().Be("/cloud/inspect/host-1/es-c1-instance-0");
        CloudPaths.Runner("host-2").Should().Be("/cloud/runners/host-2");
        CloudPaths.Allocator("host-3").Should().Be("/cloud/allocators/host-3");
    }

    [Theory]
    [InlineData("")]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("Host-1")]
    [InlineData("-leading-dash")]
    [InlineData("with space")]
    public void Join_UnsafeSegment_IsRefusedWithTheReason(string segment)
    {
        var act = () => CloudPaths.Container("host-1", segment);

        act.Should().Throw<ArgumentException>().WithMessage("*a-z, 0-9*");
    }

    [Theory]
    [InlineData("172.17.0.1", "172.17.0.1")]
    [InlineData("Host-A.Example.com", "host-a.example.com")]
    [InlineData("fe80::1", "fe80__1")]
    public void MachineKey_HostAddress_BecomesASafeNodeName(string address, string expected)
    {
        MachineKey.For(address).Should().Be(expected);
        CloudPaths.PortsOf(MachineKey.For(address), "host-1").Should().Be($"/cloud/allocators-ports/{expected}/host-1");
    }

    [Fact]
    public void AllocatorRegistration_Json_UsesTheApiFieldNames()
    {
        var registration = new AllocatorRegistration
        {
            AllocatorId = "host-1",
            Host = "10.0.0.1",
            Zone = "zone-1",
            Capacity = new AllocatorCapacity(new MemoryCapacity(4096, 1024)),
        };

        var json = System.Text.Encoding.UTF8.GetString(CloudJson.Serialize(registration));

        json.Should().Contain("\"allocator_id\":\"host-1\"").And.Contain("\"capacity\":{\"memory\":{\"total_mb\":4096,\"used_mb\":1024");
        CloudJson.Deserialize<AllocatorRegistration>(CloudJson.Serialize(registration)).Capacity.Memory.UsedMb.Should().Be(1024);
    }
}
