using System.Collections.Immutable;

namespace Cloud.Shared.Routing;

/// <summary>
/// The constructor's word on which instances of a cluster may take traffic,
/// <c>/cloud/routing/&lt;cluster_id&gt;</c>. The proxy routes to the instances listed here that are
/// also running, reachable and on a live allocator; an instance not listed gets no traffic. A plan
/// removes an instance from <see cref="Instances"/> before it stops it, and instances in maintenance
/// mode are left out. Until the constructor writes this node, every healthy instance is routable.
/// </summary>
public sealed record RoutingTable
{
    public required string ClusterId { get; init; }

    /// <summary>Instance names that may take traffic.</summary>
    public ImmutableArray<string> Instances { get; init; } = [];

    /// <summary>Instances in maintenance mode (informational: they are never in <see cref="Instances"/>).</summary>
    public ImmutableArray<string> Maintenance { get; init; } = [];

    /// <summary>Traffic filter: client addresses allowed, as CIDRs; empty allows every client.</summary>
    public ImmutableArray<string> AllowedSources { get; init; } = [];

    public DateTimeOffset UpdatedAt { get; init; }
}
