using System.Collections.Immutable;
using Cloud.Constructor.Api;
using Cloud.Constructor.Clusters;
using Cloud.Constructor.Placement;
using Cloud.Constructor.Validation;

namespace Cloud.Constructor.Plans;

/// <summary>
/// Turns a submitted plan into a recorded pending plan: validates it against the current one, resolves
/// the strategy, decides which instances stay and places the new ones. Pure; the caller writes the result.
/// </summary>
public static class PlanAcceptance
{
    /// <summary>Default plan timeout: 4 seconds per MB of the largest node (as Elastic Cloud Enterprise).</summary>
    public const int TimeoutSecondsPerMb = 4;

    public static PlanAcceptanceResult Accept(PlanAcceptanceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var plan = request.Plan;
        var current = request.Current?.Current;
        var errors = PlanValidator.Validate(plan, request.Current?.Lifecycle == "stopped" ? null : current?.Plan, request.AvailableVersions, request.FieldPrefix);
        if (!errors.IsEmpty)
        {
            return PlanAcceptanceResult.Refused(errors);
        }

        var versionChanges = current is not null && current.Plan.Version != plan.Version;
        var sameTopology = current is not null && plan.HasSameTopologyAs(current.Plan);
        var strategy = ResolveStrategy(plan, current, versionChanges, sameTopology);
        var twoPhase = versionChanges && !sameTopology;
        var phaseOneVersion = twoPhase ? current!.Plan.Version : plan.Version;

        // In place (rolling) keeps every instance and its allocator; only its version changes.
        if (strategy == PlanStrategies.Rolling && current is not null && sameTopology && request.ExcludedAllocators.IsEmpty)
        {
            return PlanAcceptanceResult.Accepted(Record(request, plan, strategy, current.Instances, phase: 1, nextPhaseVersion: null), request.Current!.NextInstanceNumber);
        }

        var existing = current is null || request.Current!.Lifecycle == "stopped"
            ? ImmutableArray<ExistingInstance>.Empty
            : [.. current.Instances.Select(i => new ExistingInstance(i.InstanceName, i.AllocatorId, i.Zone, i.MemoryMb, i.TopologyIndex, IsReusable(i, plan, current.Plan, versionChanges && !twoPhase)))];
        var placement = Placer.Place(new PlacementRequest(
            plan.ClusterTopology,
            request.Allocators,
            existing,
            request.Current?.NextInstanceNumber ?? 1,
            request.ExcludedAllocators), request.FieldPrefix);
        if (!placement.Succeeded)
        {
            return PlanAcceptanceResult.Refused(placement.Errors);
        }

        var instances = placement.Instances.Select(p => new PlannedInstance
        {
            InstanceName = p.InstanceName,
            AllocatorId = p.AllocatorId,
            Zone = p.Zone,
            MemoryMb = p.MemoryMb,
            TopologyIndex = p.TopologyIndex,
            NodeRoles = plan.ClusterTopology[p.TopologyIndex].NodeRoles,
        }).ToImmutableArray();
        var recordedPlan = twoPhase ? plan with { Elasticsearch = plan.Elasticsearch! with { Version = phaseOneVersion } } : plan;
        var recordedStrategy = twoPhase ? PlanStrategies.GrowAndShrink : strategy;
        return PlanAcceptanceResult.Accepted(
            Record(request, recordedPlan, recordedStrategy, instances, phase: 1, nextPhaseVersion: twoPhase ? plan.Version : null),
            placement.NextInstanceNumber);
    }

    public static long DefaultTimeoutSeconds(PlanSpec plan) =>
        TimeoutSecondsPerMb * Math.Max(1, plan.ClusterTopology.IsDefaultOrEmpty ? 1 : plan.ClusterTopology.Max(e => e.MemoryPerNode));

    private static string ResolveStrategy(PlanSpec plan, PlanRecord? current, bool versionChanges, bool sameTopology)
    {
        var requested = plan.Transient?.Strategy ?? PlanStrategies.GrowAndShrink;
        if (current is null)
        {
            return PlanStrategies.GrowAndShrink;
        }

        return requested switch
        {
            // The cheapest safe way: a version change alone restarts in place, zone by zone; anything else grows first.
            PlanStrategies.Autodetect => versionChanges && sameTopology ? PlanStrategies.Rolling : PlanStrategies.GrowAndShrink,
            // In place cannot change the topology: that part still grows and shrinks.
            PlanStrategies.Rolling when !sameTopology => PlanStrategies.GrowAndShrink,
            _ => requested,
        };
    }

    private static bool IsReusable(PlannedInstance instance, PlanSpec plan, PlanSpec current, bool versionReplacesNodes)
    {
        if (versionReplacesNodes || instance.TopologyIndex >= plan.ClusterTopology.Length || instance.TopologyIndex >= current.ClusterTopology.Length)
        {
            return false;
        }

        var wanted = plan.ClusterTopology[instance.TopologyIndex];
        var had = current.ClusterTopology[instance.TopologyIndex];
        return wanted.MemoryPerNode == instance.MemoryMb
            && wanted.RolesKey == had.RolesKey
            && wanted.FilterTags.SequenceEqual(had.FilterTags);
    }

    private static PlanRecord Record(PlanAcceptanceRequest request, PlanSpec plan, string strategy, ImmutableArray<PlannedInstance> instances, int phase, string? nextPhaseVersion) => new()
    {
        PlanId = request.PlanId,
        Plan = plan,
        Instances = instances,
        Source = request.Source,
        SubmittedAt = request.Now,
        Strategy = strategy,
        Phase = phase,
        NextPhaseVersion = nextPhaseVersion,
        TimeoutSeconds = plan.Transient?.PlanConfiguration?.TimeoutSeconds ?? DefaultTimeoutSeconds(plan),
    };
}
