using System.Collections.Immutable;
using Cloud.Allocator.Ports;
using FluentAssertions;
using Xunit;

namespace Cloud.Allocator.Tests.Ports;

public sealed class PortAllocatorTests
{
    private static readonly PortRange Range = new(20000, 20009);

    private static ImmutableSortedDictionary<string, InstancePorts> Map(params (string Id, int Http, int Transport)[] entries) =>
        entries.ToImmutableSortedDictionary(e => e.Id, e => new InstancePorts(e.Http, e.Transport), StringComparer.Ordinal);

    [Fact]
    public void Allocate_NothingReserved_TakesLowestPortsInIdOrder()
    {
        var result = PortAllocator.Allocate(Map(), ["b", "a"], Range, _ => false);

        result.Ports.Should().Equal(Map(("a", 20000, 20001), ("b", 20002, 20003)));
        result.Exhausted.Should().BeEmpty();
    }

    [Fact]
    public void Allocate_ExistingReservation_KeepsItsPorts()
    {
        var current = Map(("b", 20004, 20005));

        var result = PortAllocator.Allocate(current, ["a", "b"], Range, _ => false);

        result.Ports.Should().Equal(Map(("a", 20000, 20001), ("b", 20004, 20005)));
    }

    [Fact]
    public void Allocate_ExistingReservationOnBoundPort_KeepsIt()
    {
        // Its own running container holds the port: a reservation is never re-checked.
        var current = Map(("a", 20000, 20001));

        var result = PortAllocator.Allocate(current, ["a"], Range, _ => true);

        result.Ports.Should().Equal(current);
    }

    [Fact]
    public void Allocate_InstanceNoLongerWanted_FreesItsPortsForTheNext()
    {
        var current = Map(("a", 20000, 20001), ("b", 20002, 20003));

        var result = PortAllocator.Allocate(current, ["b", "c"], Range, _ => false);

        result.Ports.Should().Equal(Map(("b", 20002, 20003), ("c", 20000, 20001)));
        result.Changed(current).Should().BeTrue();
    }

    [Fact]
    public void Allocate_UnavailablePorts_AreSkipped()
    {
        var unavailable = new HashSet<int> { 20000, 20002, 20003 };

        var result = PortAllocator.Allocate(Map(), ["a", "b"], Range, unavailable.Contains);

        result.Ports.Should().Equal(Map(("a", 20001, 20004), ("b", 20005, 20006)));
    }

    [Fact]
    public void Allocate_RangeExhausted_ReportsTheInstancesLeftOver()
    {
        var small = new PortRange(20000, 20004);

        var result = PortAllocator.Allocate(Map(), ["a", "b", "c"], small, _ => false);

        result.Ports.Should().Equal(Map(("a", 20000, 20001), ("b", 20002, 20003)));
        result.Exhausted.Should().Equal("c");
    }

    [Fact]
    public void Allocate_CorruptReservationSharingPorts_ReallocatesTheLaterOne()
    {
        var current = Map(("a", 20000, 20001), ("b", 20001, 20002));

        var result = PortAllocator.Allocate(current, ["a", "b"], Range, _ => false);

        result.Ports.Should().Equal(Map(("a", 20000, 20001), ("b", 20002, 20003)));
    }

    [Fact]
    public void Allocate_SameInputTwice_IsStable()
    {
        var first = PortAllocator.Allocate(Map(), ["x", "y", "z"], Range, _ => false);
        var second = PortAllocator.Allocate(first.Ports, ["x", "y", "z"], Range, _ => false);

        second.Ports.Should().Equal(first.Ports);
        second.Changed(first.Ports).Should().BeFalse();
    }
}
