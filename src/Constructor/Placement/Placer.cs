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
        var state = new PlacementState(request);
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

    /// <summary>The allocators grouped by zone, and what this placement has taken of them so far.</summary>
    private sealed class PlacementState
    {
        private readonly Dictionary<string, List<AllocatorCandidate>> _byZone;
        private readonly Dictionary<string, AllocatorCandidate> _byId;
        private readonly Dictionary<string, long> _added = new(StringComparer.Ordinal);
        private readonly HashSet<string> _occupied = new(StringComparer.Ordinal);
        private readonly HashSet<string> _replacing;

        public PlacementState(PlacementRequest request)
        {
            Request = request;
            _byId = request.Allocators.ToDictionary(a => a.AllocatorId, StringComparer.Ordinal);
            _byZone = request.Allocators.GroupBy(a => a.Zone, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
            Zones = [.. _byZone.Keys.Order(StringComparer.Ordinal)];
            _replacing = new HashSet<string>(request.Existing.Where(e => !e.Reusable).Select(e => e.AllocatorId), StringComparer.Ordinal);
        }

        public PlacementRequest Request { get; }

        public IReadOnlyList<string> Zones { get; }

        public bool CanKeep(ExistingInstance instance) =>
            !Request.ExcludedAllocators.Contains(instance.AllocatorId)
            && _byId.TryGetValue(instance.AllocatorId, out var allocator)
            && allocator.Connected
            && !_occupied.Contains(instance.AllocatorId);

        public int CountFitting(string zone, long memoryMb, ImmutableSortedDictionary<string, string> tags) =>
            _byZone[zone].Count(a => Fits(a, memoryMb, tags));

        public List<AllocatorCandidate>? TryPick(string zone, int count, long memoryMb, ImmutableSortedDictionary<string, string> tags, List<PlacedInstance> kept)
        {
            var candidates = _byZone[zone]
                .Where(a => Fits(a, memoryMb, tags) && !kept.Any(k => k.AllocatorId == a.AllocatorId))
                .OrderBy(a => _replacing.Contains(a.AllocatorId) ? 1 : 0)
                .ThenBy(a => Free(a) - memoryMb)
                .ThenBy(a => a.AllocatorId, StringComparer.Ordinal)
                .Take(count)
                .ToList();
            if (candidates.Count < count)
            {
                return null;
            }

            foreach (var instance in kept)
            {
                _occupied.Add(instance.AllocatorId);
            }

            foreach (var allocator in candidates)
            {
                _occupied.Add(allocator.AllocatorId);
                _added[allocator.AllocatorId] = _added.GetValueOrDefault(allocator.AllocatorId) + memoryMb;
            }

            return candidates;
        }

        public void Release(ZonePick pick, long memoryMb)
        {
            foreach (var instance in pick.Kept)
            {
                _occupied.Remove(instance.AllocatorId);
            }

            foreach (var allocator in pick.Picked)
            {
                _occupied.Remove(allocator.AllocatorId);
                _added[allocator.AllocatorId] -= memoryMb;
            }
        }

        private long Free(AllocatorCandidate allocator) => allocator.FreeMb - _added.GetValueOrDefault(allocator.AllocatorId);

        private bool Fits(AllocatorCandidate allocator, long memoryMb, ImmutableSortedDictionary<string, string> tags) =>
            allocator.IsAvailable
            && !Request.ExcludedAllocators.Contains(allocator.AllocatorId)
            && !_occupied.Contains(allocator.AllocatorId)
            && allocator.HasTags(tags)
            && Free(allocator) >= memoryMb;
    }
}
