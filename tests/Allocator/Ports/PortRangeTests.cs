using Cloud.Allocator.Ports;
using FluentAssertions;
using Xunit;

namespace Cloud.Allocator.Tests.Ports;

public sealed class PortRangeTests
{
    [Theory]
    [InlineData("20000-29999", 20000, 29999)]
    [InlineData(" 1 - 65535 ", 1, 65535)]
    [InlineData("5000-5000", 5000, 5000)]
    public void TryParse_ValidRange_ParsesBounds(string text, int first, int last)
    {
        PortRange.TryParse(text, out var range).Should().BeTrue();
        range.Should().Be(new PortRange(first, last));
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("20000")]
    [InlineData("0-100")]
    [InlineData("100-65536")]
    [InlineData("300-200")]
    [InlineData("-5-10")]
    [InlineData("a-b")]
    public void TryParse_InvalidRange_Fails(string? text)
    {
        PortRange.TryParse(text, out _).Should().BeFalse();
    }
}
