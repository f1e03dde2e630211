using Cloud.Allocator.Containers;
using Cloud.Shared.Coordination;
using FluentAssertions;
using Xunit;

namespace Cloud.Allocator.Tests.Containers;

public sealed class ContainerNamesTests
{
    [Theory]
    [InlineData("c0ffee", "instance-0000000001", "es-c0ffee-instance-0000000001")]
    [InlineData("abc123", "i-0", "es-abc123-i-0")]
    public void For_ClusterAndInstance_IsDeterministic(string clusterId, string instanceName, string expected)
    {
        ContainerNames.For(clusterId, instanceName).Should().Be(expected);
    }

    [Fact]
    public void For_VeryLongIds_StaysValidAndDistinct()
    {
        var a = ContainerNames.For(new string('a', 100), "instance-0000000001");
        var b = ContainerNames.For(new string('a', 100), "instance-0000000002");

        NodeNames.IsValid(a).Should().BeTrue();
        a.Length.Should().BeLessThanOrEqualTo(128);
        a.Should().NotBe(b);
    }
}
