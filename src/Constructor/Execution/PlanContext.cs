using System.Collections.Immutable;
using Cloud.Constructor.Clusters;

namespace Cloud.Constructor.Execution;

/// <summary>What a step works on: the cluster, the plan it moves from and the plan it moves to.</summary>
public sealed record PlanContext(ClusterRecord Cluster, PlanRecord Pending, PlanRecord? Current, DateTimeOffset Deadline)
{
    public string ClusterId => Cluster.ClusterId;

    public ImmutableArray<PlannedInstance> From => Current?.Instances ?? [];

    public ImmutableArray<PlannedInstance> Target => Pending.Instances;

    public ImmutableArray<PlannedInstance> Added => [.. Target.Where(t => !From.Any(f => f.InstanceName == t.InstanceName))];

    public ImmutableArray<PlannedInstance> Removed => [.. From.Where(f => !Target.Any(t => t.InstanceName == f.InstanceName))];

    public ImmutableArray<PlannedInstance> Kept => [.. Target.Where(t => From.Any(f => f.InstanceName == t.InstanceName))];

    /// <summary>A brand-new cluster (nothing ran before): its first master-eligible nodes bootstrap it.</summary>
    public bool IsNewCluster => Current is null;
}
