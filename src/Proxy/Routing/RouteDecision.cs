using System.Collections.Immutable;
using System.Net;

namespace Cloud.Proxy.Routing;

/// <summary>
/// The pure result of routing one cluster at one moment (<see cref="RouteCalculator"/>): what kind of
/// answer its requests get, which instances may take them, the traffic filter, the overrides in force
/// and when the next one expires (so the proxy knows when to compute again).
/// </summary>
internal sealed record RouteDecision
{
    public required string ClusterId { get; init; }

    public RouteKind Kind { get; init; } = RouteKind.Forward;

    /// <summary>Sorted by instance name.</summary>
    public ImmutableArray<RoutableInstance> Instances { get; init; } = [];

    /// <summary>Why nothing is routable or why the cluster is blocked; null when instances are routable.</summary>
    public string? Reason { get; init; }

    public string? RedirectTo { get; init; }

    /// <summary>Null: every client may connect. Empty: none may (a filter whose entries were all invalid).</summary>
    public ImmutableArray<IPNetwork>? AllowedSources { get; init; }

    /// <summary>Ids of the overrides in force, sorted.</summary>
    public ImmutableArray<string> ActiveOverrides { get; init; } = [];

    /// <summary>When the earliest active override expires, if any does.</summary>
    public DateTimeOffset? NextExpiry { get; init; }
}
