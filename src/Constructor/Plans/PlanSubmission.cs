using System.Collections.Immutable;
using Cloud.Constructor.Api;
using Cloud.Constructor.Clusters;
using Cloud.Constructor.Placement;

namespace Cloud.Constructor.Plans;

/// <summary>Accepts a plan for an existing cluster and records it as pending, atomically with the plan node's version.</summary>
public static class PlanSubmission
{
    public static async Task<PlanAcceptanceResult> SubmitAsync(
        ClusterStore store,
        string clusterId,
        PlanSpec plan,
        ImmutableArray<AllocatorCandidate> allocators,
        IReadOnlyCollection<string> versions,
        string source,
        DateTimeOffset now,
        ImmutableHashSet<string> excluded,
        CancellationToken cancellationToken,
        string fieldPrefix = "")
    {
        PlanAcceptanceResult? result = null;
        await store.UpdateAsync(
            clusterId,
            snapshot =>
            {
                if (snapshot.Plans.Pending is not null)
                {
                    result = PlanAcceptanceResult.Refused([new ApiError("plan.pending_exists", $"Plan {snapshot.Plans.Pending.PlanId} is still pending; cancel it first (DELETE .../plan/pending).")]);
                    return null;
                }

                result = PlanAcceptance.Accept(new PlanAcceptanceRequest(plan, snapshot.Plans, allocators, versions, NewPlanId(), source, now, fieldPrefix) { ExcludedAllocators = excluded });
                return result.IsAccepted ? snapshot.Plans with { Pending = result.Pending, NextInstanceNumber = result.NextInstanceNumber } : null;
            },
            cancellationToken);
        return result ?? PlanAcceptanceResult.Refused([new ApiError("cluster.not_found", $"No cluster '{clusterId}'.")]);
    }

    public static string NewPlanId() => Guid.NewGuid().ToString("N")[..12];
}
