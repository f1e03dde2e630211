using System.Collections.Immutable;
using System.Globalization;
using Cloud.Constructor.Api;
using Cloud.Constructor.Plans;

namespace Cloud.Constructor.Placement;

/// <summary>
/// Zone-aware placement, a pure function of its request. Per topology element it picks
/// <c>zone_count</c> zones (zones already holding the element's kept instances first, then the zones
/// with the most allocators that fit, then by name) and in each zone <c>node_count_per_zone</c>
/// allocators: connected, not in maintenance, carrying the filter's tags, not excluded, holding no other
/// instance of the cluster, with room for the node. Among those it fills the fullest one that fits
/// (least free memory after placing), which keeps large holes free for large nodes; ties go to the
/// allocator id, so the same request always gives the same placement.
/// </summary>
public static class Placer
{
    public static PlacementResult Place(PlacementRequest request, string fieldPrefix = "plan.")
    {
        ArgumentNullException.ThrowIfNull(request);
        return Place(request, new PlacementIndex(request.Allocators), fieldPrefix);
    }

    /// <summary>Places with a prepared index (its committed memory counts); the request's allocator list is then only used to explain a refusal.</summary>
    public static PlacementResult Place(PlacementRequest request, PlacementIndex fleet, string fieldPrefix = "plan.")
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(fleet);
        var state = new PlacementState(request, fleet);
        var errors = ImmutableArray.CreateBuilder<ApiError>();
        var placed = new List<PlacedInstance>();
        var next = request.NextInstanceNumber;
        for (var index = 0; index < request.Topology.Length; index++)
        {
            var element = request.Topology[index];
            var field = string.Create(CultureInfo.InvariantCulture, $"{fieldPrefix}cluster_topology[{index}]");
            var zones = PlaceElement(state, element, index);
            if (zones is null)
            {
                errors.Add(Explain(state, element, field));
                continue;
            }

            foreach (var zone in zones)
            {
                placed.AddRange(zone.Kept);
                foreach (var allocator in zone.Picked)
                {
                    placed.Add(new PlacedInstance(InstanceNames.For(next++), allocator.AllocatorId, allocator.Zone, element.MemoryPerNode, index, IsNew: true));
                }
            }
        }

        return errors.Count > 0
            ? new PlacementResult([], errors.ToImmutable(), request.NextInstanceNumber)
            : new PlacementResult([.. placed.OrderBy(p => p.IsNew).ThenBy(p => p.InstanceName, StringComparer.Ordinal)], [], next);
    }

    private static List<ZonePick>? PlaceElement(PlacementState state, TopologyElementSpec element, int index)
    {
        var tags = element.FilterTags;
        var kept = state.Request.Existing
            .Where(e => e.TopologyIndex == index && e.Reusable && state.CanKeep(e))
            .ToLookup(e => e.Zone, StringComparer.Ordinal);
        // A replaced instance's zone comes next: a replacement stays in the zone it replaces.
        var hadZones = state.Request.Existing.Where(e => e.TopologyIndex == index).Select(e => e.Zone).ToHashSet(StringComparer.Ordinal);
        var zoneOrder = state.Zones
            .Select(zone => (Zone: zone, Kept: kept[zone].Count(), Fitting: state.CountFitting(zone, element.MemoryPerNode, tags)))
            .Where(z => z.Kept > 0 || z.Fitting > 0)
            .OrderByDescending(z => Math.Min(z.Kept, element.NodeCountPerZone))
            .ThenByDescending(z => hadZones.Contains(z.Zone))
            .ThenByDescending(z => z.Fitting)
            .ThenBy(z => z.Zone, StringComparer.Ordinal)
            .Select(z => z.Zone);
        var picks = new List<ZonePick>();
        foreach (var zone in zoneOrder)
        {
            if (picks.Count == element.ZoneCount)
            {
                break;
            }

            var keptHere = kept[zone].OrderBy(e => e.InstanceName, StringComparer.Ordinal).Take(element.NodeCountPerZone)
                .Select(e => new PlacedInstance(e.InstanceName, e.AllocatorId, e.Zone, e.MemoryMb, index, IsNew: false))
                .ToList();
            var picked = state.TryPick(zone, element.NodeCountPerZone - keptHere.Count, element.MemoryPerNode, tags, keptHere);
            if (picked is not null)
            {
                picks.Add(new ZonePick(keptHere, picked));
            }
        }

        if (picks.Count < element.ZoneCount)
        {
            foreach (var pick in picks)
            {
                state.Release(pick, element.MemoryPerNode);
            }

            return null;
        }

        return picks;
    }

    /// <summary>Says which refusal rule the element failed, most fundamental first.</summary>
    private static ApiError Explain(PlacementState state, TopologyElementSpec element, string field)
    {
        var tags = element.FilterTags;
        var usable = state.Request.Allocators.Where(a => a.IsAvailable && a.HasTags(tags) && !state.Request.ExcludedAllocators.Contains(a.AllocatorId)).ToList();
        var tagNote = tags.IsEmpty ? string.Empty : " matching allocator_filter.tags";
        var zones = usable.Select(a => a.Zone).Distinct(StringComparer.Ordinal).Count();
        if (element.ZoneCount > zones)
        {
            return new ApiError(
                "plan.zone_count_exceeds_zones",
                string.Create(CultureInfo.InvariantCulture, $"zone_count is {element.ZoneCount} but only {zones} zone(s) have available allocators{tagNote}."),
                field + ".zone_count");
        }

        var big = usable.Where(a => a.TotalMb >= element.MemoryPerNode).ToList();
        if (big.Count == 0)
        {
            var largest = usable.Count == 0 ? 0 : usable.Max(a => a.TotalMb);
            return new ApiError(
                "plan.memory_unplaceable",
                string.Create(CultureInfo.InvariantCulture, $"memory_per_node {element.MemoryPerNode} MB is more than any available allocator{tagNote} offers (largest: {largest} MB)."),
                field + ".memory_per_node");
        }

        var zonesWithEnough = big.GroupBy(a => a.Zone, StringComparer.Ordinal).Count(g => g.Count() >= element.NodeCountPerZone);
        if (zonesWithEnough < element.ZoneCount)
        {
            return new ApiError(
                "plan.insufficient_allocators",
                string.Create(CultureInfo.InvariantCulture, $"{element.NodeCountPerZone} instance(s) per zone in {element.ZoneCount} zone(s) need {element.NodeCountPerZone} allocator(s) per zone (one instance of a cluster per allocator); only {zonesWithEnough} zone(s) have that many{tagNote}."),
                field + ".node_count_per_zone");
        }

        return new ApiError(
            "plan.insufficient_capacity",
            string.Create(CultureInfo.InvariantCulture, $"not enough free memory: {element.ZoneCount} zone(s) with {element.NodeCountPerZone} allocator(s) each having {element.MemoryPerNode} MB free are needed."),
            field);
    }

    private sealed record ZonePick(List<PlacedInstance> Kept, List<AllocatorCandidate> Picked);

    /// <summary>What this placement has taken of the indexed allocators so far.</summary>
    private sealed class PlacementState
    {
        private readonly PlacementIndex _index;
        private readonly Dictionary<int, long> _added = [];
        private readonly HashSet<int> _occupied = [];
        private readonly HashSet<int> _replacing = [];
        private readonly bool[]? _excluded;

        public PlacementState(PlacementRequest request, PlacementIndex index)
        {
            Request = request;
            _index = index;
            foreach (var existing in request.Existing.Where(e => !e.Reusable))
            {
                if (index.NumberOf.TryGetValue(existing.AllocatorId, out var number))
                {
                    _replacing.Add(number);
                }
            }

            if (!request.ExcludedAllocators.IsEmpty)
            {
                _excluded = new bool[index.All.Length];
                foreach (var id in request.ExcludedAllocators)
                {
                    if (index.NumberOf.TryGetValue(id, out var number))
                    {
                        _excluded[number] = true;
                    }
                }
            }
        }

        public PlacementRequest Request { get; }

        public IReadOnlyList<string> Zones => _index.Zones;

        public bool CanKeep(ExistingInstance instance) =>
            !Request.ExcludedAllocators.Contains(instance.AllocatorId)
            && _index.NumberOf.TryGetValue(instance.AllocatorId, out var number)
            && _index.All[number].Connected
            && !_occupied.Contains(number);

        public int CountFitting(string zone, long memoryMb, ImmutableSortedDictionary<string, string> tags)
        {
            var count = 0;
            foreach (var number in _index.ByZone[zone])
            {
                count += Fits(number, memoryMb, tags) ? 1 : 0;
            }

            return count;
        }

        /// <summary>The <paramref name="count"/> best allocators of the zone in one pass (not a sort: counts are small, zones large).</summary>
        public List<AllocatorCandidate>? TryPick(string zone, int count, long memoryMb, ImmutableSortedDictionary<string, string> tags, List<PlacedInstance> kept)
        {
            var keptNumbers = kept.Select(k => _index.NumberOf.GetValueOrDefault(k.AllocatorId, -1)).ToHashSet();
            var best = new List<(int Number, int Rank, long Left)>(count + 1);
            if (count > 0)
            {
                foreach (var number in _index.ByZone[zone])
                {
                    if (!Fits(number, memoryMb, tags) || keptNumbers.Contains(number))
                    {
                        continue;
                    }

                    var candidate = (number, _replacing.Count > 0 && _replacing.Contains(number) ? 1 : 0, Free(number) - memoryMb);
                    var at = best.Count;
                    while (at > 0 && Better(candidate, best[at - 1]))
                    {
                        at--;
                    }

                    if (at < count)
                    {
                        best.Insert(at, candidate);
                        if (best.Count > count)
                        {
                            best.RemoveAt(count);
                        }
                    }
                }
            }

            if (best.Count < count)
            {
                return null;
            }

            _occupied.UnionWith(keptNumbers.Where(n => n >= 0));
            foreach (var (number, _, _) in best)
            {
                _occupied.Add(number);
                _added[number] = _added.GetValueOrDefault(number) + memoryMb;
            }

            return [.. best.Select(b => _index.All[b.Number])];
        }

        public void Release(ZonePick pick, long memoryMb)
        {
            foreach (var instance in pick.Kept)
            {
                _occupied.Remove(_index.NumberOf.GetValueOrDefault(instance.AllocatorId, -1));
            }

            foreach (var allocator in pick.Picked)
            {
                var number = _index.NumberOf[allocator.AllocatorId];
                _occupied.Remove(number);
                _added[number] -= memoryMb;
            }
        }

        /// <summary>Allocators holding a replaced instance last, then the fullest that fits, then by id.</summary>
        private bool Better((int Number, int Rank, long Left) a, (int Number, int Rank, long Left) b) =>
            a.Rank != b.Rank ? a.Rank < b.Rank
            : a.Left != b.Left ? a.Left < b.Left
            : string.CompareOrdinal(_index.All[a.Number].AllocatorId, _index.All[b.Number].AllocatorId) < 0;

        private long Free(int number) =>
            _index.All[number].FreeMb - _index.Committed[number] - (_added.Count == 0 ? 0 : _added.GetValueOrDefault(number));

        private bool Fits(int number, long memoryMb, ImmutableSortedDictionary<string, string> tags)
        {
            var allocator = _index.All[number];
            return allocator.IsAvailable
                && Free(number) >= memoryMb
                && (_excluded is null || !_excluded[number])
                && (_occupied.Count == 0 || !_occupied.Contains(number))
                && (tags.IsEmpty || allocator.HasTags(tags));
        }
    }
}
