using Cloud.Testing;
using FluentAssertions;
using Xunit;

namespace Cloud.EndToEnd.Tests.Harness;

public sealed class FreePortsTests
{
    [Fact]
    public void Next_ManyPorts_NeverInTheKernelsEphemeralRangeNeverTwice()
    {
        var (low, high) = FreePorts.EphemeralRange;

        var ports = Enumerable.Range(0, 200).Select(_ => FreePorts.Next()).ToList();

        ports.Should().OnlyHaveUniqueItems();
        ports.Should().OnlyContain(p => (p < low || p > high) && p >= 10000 && p <= 65535, $"the kernel hands {low}-{high} to outgoing connections");
    }
}
