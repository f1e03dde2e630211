using System.Collections.Immutable;

namespace Cloud.Shared.Routing;

/// <summary>
/// An on-call engineer's routing override, <c>/cloud/routing-overrides/&lt;cluster_id&gt;/&lt;override_id&gt;</c>
/// (DESIGN.md, proxy contract). An expired override no longer applies.
/// </summary>
public sealed record RoutingOverride
{
    /// <summary><c>exclude</c>, <c>pin</c>, <c>block</c> or <c>redirect</c> (see <see cref="RoutingOverrideActions"/>).</summary>
    public required string Action { get; init; }

    public ImmutableArray<string> Instances { get; init; } = [];

    public string? TargetClusterId { get; init; }

    public required string Reason { get; init; }

    public string? Author { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Null: never expires.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    public bool IsActiveAt(DateTimeOffset now) => ExpiresAt is null || ExpiresAt > now;
}
