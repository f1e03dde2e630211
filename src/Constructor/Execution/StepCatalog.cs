using System.Collections.Immutable;
using Cloud.Constructor.Clusters;
using Cloud.Constructor.Plans;

namespace Cloud.Constructor.Execution;

/// <summary>Which steps a recorded plan runs, in order. Pure: the same plan always gives the same steps, so a resumed attempt continues the same list.</summary>
public static class StepCatalog
{
    /// <summary>
    /// The step from which a grow-and-shrink no longer rolls back: it stops the old instances, after which
    /// going back would leave the cluster without the instances it runs on. Failures from here on are retried.
    /// </summary>
    public const string PointOfNoReturn = StepIds.StopOldInstances;

    public static ImmutableArray<string> StepsFor(PlanRecord pending, PlanRecord? current)
    {
        ArgumentNullException.ThrowIfNull(pending);
        if (pending.Kind == PlanKinds.Shutdown)
        {
            return [StepIds.UpdateRouting, StepIds.StopInstances, StepIds.WaitForStopped, StepIds.RecordPlan];
        }

        var steps = ImmutableArray.CreateBuilder<string>();
        steps.Add(StepIds.VerifyVersionCompatibility);
        steps.Add(StepIds.Snapshot);
        if (pending.Strategy == PlanStrategies.Rolling)
        {
            foreach (var group in RollingGroups(pending))
            {
                steps.Add(StepIds.RollingRestartPrefix + group.Key);
            }

            steps.Add(StepIds.UpdateRouting);
            steps.Add(StepIds.RecordPlan);
            return steps.ToImmutable();
        }

        var existing = current?.Instances.Select(i => i.InstanceName).ToHashSet(StringComparer.Ordinal) ?? [];
        var added = pending.Instances.Where(i => !existing.Contains(i.InstanceName)).ToList();
        if (pending.Strategy == PlanStrategies.RollingGrowAndShrink)
        {
            foreach (var instance in added)
            {
                steps.Add(StepIds.StartInstancePrefix + instance.InstanceName);
                steps.Add(StepIds.WaitForInstancePrefix + instance.InstanceName);
            }
        }
        else
        {
            steps.Add(StepIds.StartNewInstances);
            steps.Add(StepIds.WaitForNewInstances);
        }

        steps.AddRange(
            StepIds.ExcludeOldFromAllocation,
            StepIds.WaitForShardMigration,
            StepIds.UpdateRouting,
            StepIds.Drain,
            StepIds.ExcludeOldMastersFromVoting,
            StepIds.StopOldInstances,
            StepIds.CleanUp,
            StepIds.RecordPlan);
        return steps.ToImmutable();
    }

    /// <summary>The groups of a rolling change, in order: <c>__all__</c> one group, <c>__zone__</c> (default) per zone, <c>__name__</c> per instance.</summary>
    public static IReadOnlyList<IGrouping<string, PlannedInstance>> RollingGroups(PlanRecord pending)
    {
        ArgumentNullException.ThrowIfNull(pending);
        var groupBy = pending.Plan.Transient?.Rolling?.GroupBy ?? PlanStrategies.GroupByZone;
        Func<PlannedInstance, string> key = groupBy switch
        {
            PlanStrategies.GroupByAll => _ => "all",
            PlanStrategies.GroupByName => i => i.InstanceName,
            _ => i => i.Zone,
        };
        return [.. pending.Instances.GroupBy(key, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)];
    }
}
