using Cloud.Allocator.Configuration;
using FluentAssertions;
using Xunit;

namespace Cloud.Allocator.Tests.Configuration;

public sealed class AllocatorOptionsValidatorTests
{
    private static AllocatorOptions Valid() => new()
    {
        AllocatorId = "host-1", Zone = "zone-1", HostAddress = "172.17.0.1", DataRoot = "/var/lib/cloud", PortRange = "20000-29999",
    };

    [Fact]
    public void Validate_ValidOptions_Succeeds()
    {
        new AllocatorOptionsValidator().Validate(null, Valid()).Succeeded.Should().BeTrue();
    }

    [Fact]
    public void Validate_ManyProblems_ReportsEveryOne()
    {
        var options = new AllocatorOptions
        {
            AllocatorId = "Bad/Id", Zone = "", HostAddress = "", PortBindIp = "nope", DataRoot = "relative", PortRange = "9-1",
            MemoryCapacityMb = -1, ProbeInterval = TimeSpan.Zero,
        };

        var result = new AllocatorOptionsValidator().Validate(null, options);

        result.Failed.Should().BeTrue();
        result.Failures.Should().HaveCount(8);
    }

    [Fact]
    public void Resolve_Defaults_FillIdsProbeAddressAndDetectedCapacity()
    {
        var settings = ResolvedAllocatorOptions.Resolve(Valid(), () => 16384);

        settings.HostId.Should().Be("host-1");
        settings.ProbeAddress.Should().Be("172.17.0.1");
        settings.MemoryCapacityMb.Should().Be(16384 - 2048);
    }

    [Fact]
    public void Resolve_ConfiguredCapacityAndBindIp_WinOverDetection()
    {
        var options = Valid();
        options.MemoryCapacityMb = 4096;
        options.PortBindIp = "127.0.0.1";

        var settings = ResolvedAllocatorOptions.Resolve(options, () => throw new InvalidOperationException("must not detect"));

        settings.MemoryCapacityMb.Should().Be(4096);
        settings.ProbeAddress.Should().Be("127.0.0.1");
    }

    [Fact]
    public void ParseTotalMb_MemInfo_ReadsMemTotal()
    {
        HostMemory.ParseTotalMb("MemTotal:       24683716 kB\nMemFree:        1 kB\n").Should().Be(24105);
        HostMemory.ParseTotalMb("nothing").Should().Be(0);
    }
}
