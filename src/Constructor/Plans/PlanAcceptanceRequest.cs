using System.Collections.Immutable;
using Cloud.Constructor.Clusters;
using Cloud.Constructor.Placement;

namespace Cloud.Constructor.Plans;

/// <param name="Current">The cluster's plans; null for a new cluster.</param>
/// <param name="FieldPrefix">How error fields are prefixed (<c>plan.</c> when the plan is nested in the body).</param>
public sealed record PlanAcceptanceRequest(
    PlanSpec Plan,
    ClusterPlans? Current,
    ImmutableArray<AllocatorCandidate> Allocators,
    IReadOnlyCollection<string> AvailableVersions,
    string PlanId,
    string Source,
    DateTimeOffset Now,
    string FieldPrefix = "plan.")
{
    public ImmutableHashSet<string> ExcludedAllocators { get; init; } = [];
}
