namespace Cloud.Constructor.Clusters;

/// <summary>A cluster's identity, <c>/cloud/clusters/&lt;cluster_id&gt;</c>.</summary>
public sealed record ClusterRecord
{
    public required string ClusterId { get; init; }

    public required string ClusterName { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
}
