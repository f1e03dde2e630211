using System.Collections.Immutable;
using Cloud.Allocator.Ports;
using FluentAssertions;
using Xunit;

namespace Cloud.Allocator.Tests.Ports;

public sealed class PortConflictsTests
{
    private static readonly ImmutableSortedDictionary<string, InstancePorts> Own = new Dictionary<string, InstancePorts>
    {
        ["a"] = new(20000, 20001),
        ["b"] = new(20002, 20003),
    }.ToImmutableSortedDictionary(StringComparer.Ordinal);

    [Theory]
    [InlineData("host-2", "", "a,b")]
    [InlineData("host-2", "20001=host-1", "b")]
    [InlineData("host-2", "20001=host-3", "a,b")]
    [InlineData("host-2", "20000=host-1;20003=host-1", "")]
    [InlineData("host-2", "20005=host-1", "a,b")]
    public void Resolve_SharedPorts_LowerIdKeepsThem(string selfId, string held, string kept)
    {
        var heldByOthers = held.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(h => h.Split('='))
            .ToDictionary(h => int.Parse(h[0], System.Globalization.CultureInfo.InvariantCulture), h => h[1]);

        var result = PortConflicts.Resolve(Own, heldByOthers, selfId);

        string.Join(',', result.Keys).Should().Be(kept);
    }
}
