using System.Collections.Immutable;
using Cloud.Constructor.Plans;

namespace Cloud.Constructor.Placement;

/// <summary>Everything placement decides on; nothing else is read, so the same request gives the same answer.</summary>
/// <param name="NextInstanceNumber">The number of the first new instance's name (<c>instance-0000000007</c>).</param>
/// <param name="ExcludedAllocators">Allocators that must get nothing of this cluster (being vacated, gone).</param>
public sealed record PlacementRequest(
    ImmutableArray<TopologyElementSpec> Topology,
    ImmutableArray<AllocatorCandidate> Allocators,
    ImmutableArray<ExistingInstance> Existing,
    long NextInstanceNumber,
    ImmutableHashSet<string> ExcludedAllocators)
{
    public static PlacementRequest ForNewCluster(ImmutableArray<TopologyElementSpec> topology, ImmutableArray<AllocatorCandidate> allocators) =>
        new(topology, allocators, [], 1, []);
}
