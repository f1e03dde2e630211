using System.Collections.Immutable;

namespace Cloud.Constructor.Plans;

/// <summary>One kind of node in a plan: roles, memory, how many per zone, across how many zones.</summary>
public sealed record TopologyElementSpec
{
    public ImmutableArray<string> NodeRoles { get; init; } = ["master", "data", "ingest"];

    public long MemoryPerNode { get; init; }

    public int NodeCountPerZone { get; init; } = 1;

    public int ZoneCount { get; init; } = 1;

    public AllocatorFilterSpec? AllocatorFilter { get; init; }

    public ImmutableSortedDictionary<string, string> FilterTags =>
        AllocatorFilter?.Tags ?? ImmutableSortedDictionary<string, string>.Empty;

    public bool IsMasterEligible => NodeRoles.IsDefault || NodeRoles.Contains("master");

    public bool IsSameAs(TopologyElementSpec other) =>
        MemoryPerNode == other.MemoryPerNode
        && NodeCountPerZone == other.NodeCountPerZone
        && ZoneCount == other.ZoneCount
        && RolesKey == other.RolesKey
        && FilterTags.SequenceEqual(other.FilterTags);

    /// <summary>The roles as one comparable string (order does not matter).</summary>
    public string RolesKey => string.Join(',', (NodeRoles.IsDefault ? [] : NodeRoles).Order(StringComparer.Ordinal));
}
