namespace Cloud.Shared.Allocators;

/// <summary>What <c>GET /</c> on the node answered, or why it did not.</summary>
public sealed record NodeProbe
{
    public bool Reachable { get; init; }

    public string? NodeName { get; init; }

    public string? ClusterName { get; init; }

    public string? ClusterUuid { get; init; }

    public string? Version { get; init; }

    public string? Error { get; init; }

    public DateTimeOffset ProbedAt { get; init; }
}
