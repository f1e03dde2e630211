using System.Collections.Immutable;

namespace Cloud.Constructor.Clusters.Resources;

/// <summary>
/// Answer to a create or a plan: 201/202 when recorded, 200 with <c>validate_only=true</c>
/// (<see cref="ClusterId"/> then null for a create). <see cref="Instances"/> is the placement.
/// </summary>
public sealed record PlanAccepted
{
    public string? ClusterId { get; init; }

    public string? PlanId { get; init; }

    public bool ValidateOnly { get; init; }

    public required string Strategy { get; init; }

    public ImmutableArray<PlannedInstance> Instances { get; init; } = [];
}
