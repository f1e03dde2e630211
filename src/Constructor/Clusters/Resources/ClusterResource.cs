namespace Cloud.Constructor.Clusters.Resources;

/// <summary>The cluster resource, shaped as Elastic Cloud Enterprise shapes it.</summary>
public sealed record ClusterResource
{
    public required string ClusterId { get; init; }

    public required string ClusterName { get; init; }

    public bool Healthy { get; init; }

    /// <summary><c>initializing</c>, <c>started</c>, <c>reconfiguring</c>, <c>stopping</c> or <c>stopped</c>.</summary>
    public required string Status { get; init; }

    public required PlanInfo PlanInfo { get; init; }

    public required TopologyView Topology { get; init; }

    public required EndpointsView Endpoints { get; init; }
}
