using Cloud.Constructor.Plans;

namespace Cloud.Constructor.Clusters.Resources;

/// <summary><c>POST /api/v1/clusters/elasticsearch</c> body.</summary>
public sealed record CreateClusterRequest
{
    public string? ClusterName { get; init; }

    public PlanSpec? Plan { get; init; }
}
