using System.Collections.Immutable;
using System.Globalization;
using Cloud.Constructor.Placement;
using Cloud.Constructor.Plans;

namespace Cloud.Constructor.Benchmarks;

/// <summary>A deterministic fleet: allocators spread over zones with varied free memory and a few tags.</summary>
internal static class SyntheticPlatform
{
    public static ImmutableArray<AllocatorCandidate> Allocators(int count, int zones, int seed = 7)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(i =>
        {
            var total = 65536L;
            var used = random.Next(0, 64) * 1024L;
            var tags = ImmutableSortedDictionary<string, string>.Empty.Add("disk", i % 3 == 0 ? "hdd" : "ssd");
            return new AllocatorCandidate(string.Create(CultureInfo.InvariantCulture, $"alloc-{i:D5}"), $"zone-{(i % zones) + 1}", total, used, tags, MaintenanceMode: i % 97 == 0);
        })];
    }

    public static TopologyElementSpec Element(long memory, int perZone = 1, int zones = 3) => new()
    {
        MemoryPerNode = memory,
        NodeCountPerZone = perZone,
        ZoneCount = zones,
    };
}
