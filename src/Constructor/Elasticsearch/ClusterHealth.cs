namespace Cloud.Constructor.Elasticsearch;

/// <summary><c>GET _cluster/health</c>.</summary>
public sealed record ClusterHealth
{
    public string? ClusterName { get; init; }

    public string Status { get; init; } = "red";

    public bool TimedOut { get; init; }

    public int NumberOfNodes { get; init; }

    public int NumberOfDataNodes { get; init; }

    public int RelocatingShards { get; init; }

    public int InitializingShards { get; init; }

    public int UnassignedShards { get; init; }
}
