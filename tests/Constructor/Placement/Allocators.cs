using System.Collections.Immutable;
using System.Globalization;
using Cloud.Constructor.Placement;
using Cloud.Constructor.Plans;

namespace Cloud.Constructor.Tests.Placement;

/// <summary>Builders for placement inputs.</summary>
internal static class Allocators
{
    public static AllocatorCandidate One(string id, string zone, long totalMb = 4096, long usedMb = 0, bool maintenance = false, bool connected = true, params (string Key, string Value)[] tags) =>
        new(id, zone, totalMb, usedMb, tags.ToImmutableSortedDictionary(t => t.Key, t => t.Value), maintenance, connected);

    /// <summary><paramref name="perZone"/> allocators in each of <paramref name="zones"/> zones, each with a different amount used.</summary>
    public static ImmutableArray<AllocatorCandidate> Grid(int zones, int perZone, long totalMb = 8192, Func<int, long>? used = null) =>
        [.. Enumerable.Range(1, zones).SelectMany(z => Enumerable.Range(1, perZone).Select(i =>
            One(string.Create(CultureInfo.InvariantCulture, $"a-{z}-{i:D5}"), $"zone-{z}", totalMb, used?.Invoke(i) ?? 0)))];

    public static TopologyElementSpec Element(long memory = 1024, int perZone = 1, int zones = 3, params (string Key, string Value)[] tags) => new()
    {
        MemoryPerNode = memory,
        NodeCountPerZone = perZone,
        ZoneCount = zones,
        AllocatorFilter = tags.Length == 0 ? null : new AllocatorFilterSpec { Tags = tags.ToImmutableSortedDictionary(t => t.Key, t => t.Value) },
    };

    public static PlacementResult PlaceNew(ImmutableArray<AllocatorCandidate> allocators, params TopologyElementSpec[] topology) =>
        Placer.Place(PlacementRequest.ForNewCluster([.. topology], allocators));
}
