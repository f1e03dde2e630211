using System.Collections.Immutable;
using Cloud.Allocator.Capacity;
using Cloud.Allocator.Registration;
using Cloud.Allocator.Tests.Support;
using Cloud.Shared.Allocators;
using FluentAssertions;
using Xunit;

namespace Cloud.Allocator.Tests.Registration;

public sealed class RegistrationBuilderTests
{
    [Fact]
    public void Build_MetaAndPlan_MergesTagsAndCountsOnlyHeldInstances()
    {
        var settings = TestOptions.Create(4096) with
        {
            Tags = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string> { ["disk"] = "ssd", ["rack"] = "r1" }),
        };
        var meta = new AllocatorMeta
        {
            MaintenanceMode = true,
            Tags = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string> { ["rack"] = "r9", ["team"] = "search" }),
        };
        var plan = CapacityPlanner.Plan([new("a", 2048, 1), new("b", 4096, 2), new("c", 1024, 3, 1024)], 4096);

        var registration = RegistrationBuilder.Build(settings, meta, plan, DateTimeOffset.UnixEpoch);

        registration.Tags.Should().Equal(new Dictionary<string, string> { ["disk"] = "ssd", ["rack"] = "r9", ["team"] = "search" });
        registration.MaintenanceMode.Should().BeTrue();
        registration.Capacity.Memory.Should().Be(new MemoryCapacity(4096, 3072));
        registration.Instances.Should().Equal("a", "c");
        registration.Host.Should().Be("10.0.0.5");
        registration.Zone.Should().Be("zone-1");
    }
}
