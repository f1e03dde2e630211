using System.Collections.Immutable;
using System.Diagnostics;
using Cloud.Constructor.Placement;
using FluentAssertions;
using Xunit;
using static Cloud.Constructor.Tests.Placement.Allocators;

namespace Cloud.Constructor.Tests.Placement;

public sealed class PlacerTests
{
    [Fact]
    public void Place_ThreeZones_OneInstancePerZoneOnDistinctAllocators()
    {
        var result = PlaceNew(Grid(3, 2), Element());

        result.Succeeded.Should().BeTrue();
        result.Instances.Select(i => i.Zone).Should().BeEquivalentTo(["zone-1", "zone-2", "zone-3"]);
        result.Instances.Select(i => i.AllocatorId).Should().OnlyHaveUniqueItems();
        result.Instances.Select(i => i.InstanceName).Should().Equal("instance-0000000001", "instance-0000000002", "instance-0000000003");
        result.Instances.Should().OnlyContain(i => i.IsNew && i.MemoryMb == 1024);
    }

    [Fact]
    public void Place_FillsFullestAllocatorThatFits()
    {
        ImmutableArray<AllocatorCandidate> allocators =
        [
            One("empty", "z", 8192, 0),
            One("half", "z", 8192, 4096),
            One("almost-full", "z", 8192, 7680),
            One("tight", "z", 8192, 7168),
        ];

        var result = PlaceNew(allocators, Element(memory: 1024, zones: 1));

        result.Instances.Single().AllocatorId.Should().Be("tight", "it is the fullest that still has 1024 MB free");
    }

    [Fact]
    public void Place_TiesGoToAllocatorId_SameInputSameAnswer()
    {
        var allocators = Grid(3, 50);
        var first = PlaceNew(allocators, Element(perZone: 3));
        var shuffled = PlaceNew([.. allocators.Reverse()], Element(perZone: 3));

        shuffled.Instances.Should().Equal(first.Instances);
        first.Instances.Where(i => i.Zone == "zone-1").Select(i => i.AllocatorId).Should().Equal("a-1-00001", "a-1-00002", "a-1-00003");
    }

    [Fact]
    public void Place_SkipsMaintenanceDisconnectedAndTooSmall()
    {
        ImmutableArray<AllocatorCandidate> allocators =
        [
            One("a-maint", "z", 8192, 7000, maintenance: true),
            One("b-gone", "z", 8192, 7000, connected: false),
            One("c-small", "z", 8192, 7500),
            One("d-ok", "z", 8192, 0),
        ];

        PlaceNew(allocators, Element(zones: 1)).Instances.Single().AllocatorId.Should().Be("d-ok");
    }

    [Fact]
    public void Place_HonoursAllocatorFilterTags()
    {
        ImmutableArray<AllocatorCandidate> allocators =
        [
            One("a", "z1", tags: ("disk", "hdd")),
            One("b", "z1", tags: [("disk", "ssd"), ("rack", "r1")]),
            One("c", "z2", tags: ("disk", "ssd")),
            One("d", "z2"),
        ];

        var result = PlaceNew(allocators, Element(zones: 2, tags: ("disk", "ssd")));

        result.Instances.Select(i => i.AllocatorId).Should().BeEquivalentTo(["b", "c"]);
    }

    [Fact]
    public void Place_TwoElements_NeverTwoInstancesOfTheClusterOnOneAllocator()
    {
        var result = PlaceNew(Grid(3, 2), Element(memory: 1024), Element(memory: 512));

        result.Succeeded.Should().BeTrue();
        result.Instances.Should().HaveCount(6);
        result.Instances.Select(i => i.AllocatorId).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void Place_ZoneCountAboveZones_RefusedOnZoneCount()
    {
        var result = PlaceNew(Grid(2, 5), Element(zones: 3));

        result.Succeeded.Should().BeFalse();
        result.Instances.Should().BeEmpty();
        result.Errors.Should().ContainSingle(e => e.Code == "plan.zone_count_exceeds_zones" && e.Field == "plan.cluster_topology[0].zone_count");
    }

    [Fact]
    public void Place_ZonesOnlyInMaintenance_DoNotCount()
    {
        var allocators = Grid(2, 1).Add(One("m", "zone-3", maintenance: true));

        PlaceNew(allocators, Element(zones: 3)).Errors.Single().Code.Should().Be("plan.zone_count_exceeds_zones");
    }

    [Fact]
    public void Place_MemoryNoAllocatorOffers_RefusedOnMemory()
    {
        var result = PlaceNew(Grid(3, 3, totalMb: 4096), Element(memory: 8192));

        result.Errors.Should().ContainSingle(e => e.Code == "plan.memory_unplaceable" && e.Field == "plan.cluster_topology[0].memory_per_node");
    }

    [Fact]
    public void Place_TooFewAllocatorsForOnePerAllocator_RefusedOnNodeCount()
    {
        var result = PlaceNew(Grid(3, 2), Element(perZone: 3));

        result.Errors.Should().ContainSingle(e => e.Code == "plan.insufficient_allocators" && e.Field == "plan.cluster_topology[0].node_count_per_zone");
    }

    [Fact]
    public void Place_AllocatorsFullButBigEnough_RefusedOnCapacity()
    {
        var result = PlaceNew(Grid(3, 2, totalMb: 4096, used: _ => 3584), Element(memory: 1024));

        result.Errors.Should().ContainSingle(e => e.Code == "plan.insufficient_capacity" && e.Field == "plan.cluster_topology[0]");
    }

    [Fact]
    public void Place_SecondElementDoesNotFit_NothingPlacedAtAll()
    {
        var result = PlaceNew(Grid(3, 1), Element(memory: 1024), Element(memory: 1024));

        result.Succeeded.Should().BeFalse();
        result.Instances.Should().BeEmpty();
        result.Errors.Should().ContainSingle(e => e.Field!.StartsWith("plan.cluster_topology[1]", StringComparison.Ordinal));
    }

    [Fact]
    public void Place_ZoneWithoutRoom_SkippedForAnotherZone()
    {
        var allocators = Grid(2, 1).Add(One("full", "zone-0", 4096, 4000)).Add(One("z4", "zone-4"));

        var result = PlaceNew(allocators, Element(zones: 3));

        result.Instances.Select(i => i.Zone).Should().BeEquivalentTo(["zone-1", "zone-2", "zone-4"]);
    }

    [Fact]
    public void Place_ExistingReusableInstances_KeptWhereTheyAre()
    {
        var allocators = Grid(3, 3);
        ImmutableArray<ExistingInstance> existing =
        [
            new("instance-0000000001", "a-1-00003", "zone-1", 1024, 0, Reusable: true),
            new("instance-0000000002", "a-2-00003", "zone-2", 1024, 0, Reusable: true),
        ];

        var result = Placer.Place(new PlacementRequest([Element(perZone: 2, zones: 2)], allocators, existing, 3, []));

        result.Instances.Where(i => !i.IsNew).Select(i => i.InstanceName).Should().BeEquivalentTo(["instance-0000000001", "instance-0000000002"]);
        result.Instances.Where(i => i.IsNew).Should().HaveCount(2).And.OnlyContain(i => i.Zone == "zone-1" || i.Zone == "zone-2");
        result.Instances.Where(i => i.IsNew).Select(i => i.InstanceName).Should().Equal("instance-0000000003", "instance-0000000004");
        result.Instances.Select(i => i.AllocatorId).Should().OnlyHaveUniqueItems();
        result.NextInstanceNumber.Should().Be(5);
    }

    [Fact]
    public void Place_ReplacedInstances_NewOnesPreferOtherAllocatorsAndGetNewNames()
    {
        var allocators = Grid(3, 2, totalMb: 8192, used: i => i == 1 ? 1024 : 0);
        ImmutableArray<ExistingInstance> existing =
        [
            new("instance-0000000001", "a-1-00001", "zone-1", 1024, 0, Reusable: false),
            new("instance-0000000002", "a-2-00001", "zone-2", 1024, 0, Reusable: false),
            new("instance-0000000003", "a-3-00001", "zone-3", 1024, 0, Reusable: false),
        ];

        var result = Placer.Place(new PlacementRequest([Element(memory: 2048)], allocators, existing, 4, []));

        result.Instances.Should().OnlyContain(i => i.IsNew && i.AllocatorId.EndsWith("00002", StringComparison.Ordinal));
        result.Instances.Select(i => i.InstanceName).Should().Equal("instance-0000000004", "instance-0000000005", "instance-0000000006");
    }

    [Fact]
    public void Place_ReplacedInstancesAndNoOtherAllocator_SharesTheOldOneWhileItLeaves()
    {
        var allocators = Grid(3, 1, totalMb: 4096, used: _ => 1024);
        ImmutableArray<ExistingInstance> existing =
        [
            new("instance-0000000001", "a-1-00001", "zone-1", 1024, 0, Reusable: false),
            new("instance-0000000002", "a-2-00001", "zone-2", 1024, 0, Reusable: false),
            new("instance-0000000003", "a-3-00001", "zone-3", 1024, 0, Reusable: false),
        ];

        var result = Placer.Place(new PlacementRequest([Element(memory: 2048)], allocators, existing, 4, []));

        result.Succeeded.Should().BeTrue();
        result.Instances.Should().HaveCount(3).And.OnlyContain(i => i.IsNew);
    }

    [Fact]
    public void Place_ExcludedAllocator_GetsNothingAndItsInstanceMovesInTheSameZone()
    {
        var allocators = Grid(3, 2);
        ImmutableArray<ExistingInstance> existing =
        [
            new("instance-0000000001", "a-1-00001", "zone-1", 1024, 0, Reusable: true),
            new("instance-0000000002", "a-2-00001", "zone-2", 1024, 0, Reusable: true),
            new("instance-0000000003", "a-3-00001", "zone-3", 1024, 0, Reusable: true),
        ];

        var result = Placer.Place(new PlacementRequest([Element()], allocators, existing, 4, ["a-2-00001"]));

        result.Instances.Should().HaveCount(3);
        result.Instances.Single(i => i.IsNew).Should().Be(new PlacedInstance("instance-0000000004", "a-2-00002", "zone-2", 1024, 0, true));
    }

    [Fact]
    public void Place_DisconnectedAllocatorHoldingAnInstance_ReplacedInItsZone()
    {
        var allocators = Grid(3, 2).Select(a => a.AllocatorId == "a-3-00001" ? a with { Connected = false } : a).ToImmutableArray();
        ImmutableArray<ExistingInstance> existing =
        [
            new("instance-0000000001", "a-1-00001", "zone-1", 1024, 0, Reusable: true),
            new("instance-0000000002", "a-2-00001", "zone-2", 1024, 0, Reusable: true),
            new("instance-0000000003", "a-3-00001", "zone-3", 1024, 0, Reusable: true),
        ];

        var result = Placer.Place(new PlacementRequest([Element()], allocators, existing, 4, []));

        result.Instances.Single(i => i.IsNew).Should().Match<PlacedInstance>(i => i.Zone == "zone-3" && i.AllocatorId == "a-3-00002");
    }

    [Fact]
    public void Place_TenThousandAllocators_FastAndValid()
    {
        var allocators = Grid(3, 3334, totalMb: 65536, used: i => (i * 977L) % 60000);
        PlaceNew(allocators, Element(memory: 4096));
        var watch = Stopwatch.StartNew();
        var result = PlaceNew(allocators, Element(memory: 4096, perZone: 2));
        watch.Stop();

        result.Succeeded.Should().BeTrue();
        result.Instances.Should().HaveCount(6);
        var fullest = allocators.Where(a => a.FreeMb >= 4096).GroupBy(a => a.Zone)
            .SelectMany(g => g.OrderBy(a => a.FreeMb).ThenBy(a => a.AllocatorId, StringComparer.Ordinal).Take(2).Select(a => a.AllocatorId));
        result.Instances.Select(i => i.AllocatorId).Should().BeEquivalentTo(fullest);
        watch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(1), "placement among 10,000 allocators is a few milliseconds (benchmarked); this only catches a quadratic regression");
    }
}
