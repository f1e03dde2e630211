using System.Net;
using Cloud.Proxy.Health;

namespace Cloud.Proxy.Routing;

/// <summary>
/// The immutable, request-ready form of a <see cref="RouteDecision"/>: arrays the balancer indexes
/// without allocating, the local-zone subset precomputed. Replaced whole when the cluster changes.
/// </summary>
internal sealed class ClusterRoute
{
    private ClusterRoute(RouteDecision decision, RouteDestination[] all, RouteDestination[] local, IPNetwork[]? allowedSources)
    {
        Decision = decision;
        All = all;
        Local = local;
        AllowedSources = allowedSources;
    }

    public RouteDecision Decision { get; }

    public string ClusterId => Decision.ClusterId;

    public RouteKind Kind => Decision.Kind;

    /// <summary>Every routable destination.</summary>
    public RouteDestination[] All { get; }

    /// <summary>The routable destinations in the proxy's zone (empty when it has none or no zone is set).</summary>
    public RouteDestination[] Local { get; }

    public IPNetwork[]? AllowedSources { get; }

    public static ClusterRoute Create(RouteDecision decision, DestinationRegistry registry, string? zone)
    {
        ArgumentNullException.ThrowIfNull(decision);
        ArgumentNullException.ThrowIfNull(registry);
        var all = decision.Instances.Select(i => new RouteDestination(i.InstanceName, i.Zone, registry.Get(i.Host, i.Port))).ToArray();
        var local = string.IsNullOrEmpty(zone) ? [] : all.Where(d => string.Equals(d.Zone, zone, StringComparison.Ordinal)).ToArray();
        return new ClusterRoute(decision, all, local, decision.AllowedSources is { } sources ? [.. sources] : null);
    }

    /// <summary>Whether a client address passes the cluster's traffic filter.</summary>
    public bool Admits(IPAddress? client)
    {
        if (AllowedSources is not { } sources)
        {
            return true;
        }

        if (client is null)
        {
            return false;
        }

        if (client.IsIPv4MappedToIPv6)
        {
            client = client.MapToIPv4();
        }

        foreach (var network in sources)
        {
            if (network.Contains(client))
            {
                return true;
            }
        }

        return false;
    }
}
