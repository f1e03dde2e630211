using System.Collections.Immutable;
using System.Net;
using Cloud.Shared.Containers;
using Cloud.Shared.Routing;

namespace Cloud.Proxy.Routing;

/// <summary>
/// Which instances of a cluster take traffic (DESIGN.md, proxy contract): running, probe reachable,
/// on a live allocator; narrowed by the routing node when there is one (listed, not in maintenance);
/// then the active overrides: block beats redirect, redirect beats pin and exclude, pins narrow to
/// their instances and excludes take theirs out. Pure: same inputs, same decision.
/// </summary>
internal static class RouteCalculator
{
    public static RouteDecision Compute(ClusterInputs inputs, IReadOnlySet<string> liveAllocators, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(liveAllocators);

        var active = inputs.Overrides
            .Where(o => o.Value.IsActiveAt(now) && RoutingOverrideActions.All.Contains(o.Value.Action))
            .OrderBy(o => o.Value.CreatedAt).ThenBy(o => o.Key, StringComparer.Ordinal)
            .ToList();
        var decision = new RouteDecision
        {
            ClusterId = inputs.ClusterId,
            AllowedSources = ParseSources(inputs.Table),
            ActiveOverrides = [.. active.Select(o => o.Key).Order(StringComparer.Ordinal)],
            NextExpiry = active.Select(o => o.Value.ExpiresAt).Where(e => e is not null).Min(),
        };

        if (active.FirstOrDefault(o => o.Value.Action == RoutingOverrideActions.Block) is { Value: { } block } blockEntry)
        {
            return decision with { Kind = RouteKind.Blocked, Reason = $"cluster [{inputs.ClusterId}] is blocked by override [{blockEntry.Key}]: {block.Reason}" };
        }

        if (active.FirstOrDefault(o => o.Value.Action == RoutingOverrideActions.Redirect && !string.IsNullOrEmpty(o.Value.TargetClusterId)) is { Value: { } redirect })
        {
            return decision with { Kind = RouteKind.Redirect, RedirectTo = redirect.TargetClusterId };
        }

        var healthy = inputs.Instances.Values
            .Where(i => i.ContainerState == ContainerStates.Running && i.Probe?.Reachable == true && liveAllocators.Contains(i.AllocatorId) && i.HttpPort > 0)
            .ToList();
        if (inputs.Table is { } table)
        {
            var listed = table.Instances.ToHashSet(StringComparer.Ordinal);
            listed.ExceptWith(table.Maintenance);
            healthy.RemoveAll(i => !listed.Contains(i.InstanceName));
        }

        var pins = active.Where(o => o.Value.Action == RoutingOverrideActions.Pin).SelectMany(o => o.Value.Instances).ToHashSet(StringComparer.Ordinal);
        if (pins.Count > 0)
        {
            healthy.RemoveAll(i => !pins.Contains(i.InstanceName));
        }

        var excluded = active.Where(o => o.Value.Action == RoutingOverrideActions.Exclude).SelectMany(o => o.Value.Instances).ToHashSet(StringComparer.Ordinal);
        healthy.RemoveAll(i => excluded.Contains(i.InstanceName));

        var instances = healthy
            .OrderBy(i => i.InstanceName, StringComparer.Ordinal)
            .Select(i => new RoutableInstance(i.InstanceName, i.Zone, i.Host, i.HttpPort))
            .ToImmutableArray();
        return decision with
        {
            Instances = instances,
            Reason = instances.IsEmpty ? Unavailable(inputs, pins.Count > 0, excluded.Count > 0) : null,
        };
    }

    private static string Unavailable(ClusterInputs inputs, bool pinned, bool excluded)
    {
        if (inputs.Instances.IsEmpty)
        {
            return $"cluster [{inputs.ClusterId}] has no instances";
        }

        var narrowed = (pinned, excluded) switch
        {
            (true, true) => " after pin and exclude overrides",
            (true, false) => " after a pin override",
            (false, true) => " after an exclude override",
            _ => string.Empty,
        };
        return $"cluster [{inputs.ClusterId}] has no routable instance (running, reachable and in routing){narrowed}";
    }

    /// <summary>
    /// The routing node's CIDR allow-list. Entries that don't parse are dropped, which fails closed:
    /// a filter whose every entry is invalid admits no one, never everyone.
    /// </summary>
    private static ImmutableArray<IPNetwork>? ParseSources(RoutingTable? table)
    {
        if (table is null || table.AllowedSources.IsDefaultOrEmpty)
        {
            return null;
        }

        var networks = ImmutableArray.CreateBuilder<IPNetwork>();
        foreach (var source in table.AllowedSources)
        {
            if (CidrParser.TryParse(source, out var network))
            {
                networks.Add(network);
            }
        }

        return networks.ToImmutable();
    }
}
