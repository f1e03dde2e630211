using System.Collections.Immutable;
using Cloud.ElasticsearchNode.Cluster.State;

namespace Cloud.ElasticsearchNode.Cluster.Coordination;

/// <summary>
/// The voting configuration follows membership as Elasticsearch's does (auto-shrink on): every live
/// master-eligible node that is not excluded votes, kept to an odd count, never shrinking below three
/// while three are configured, and changed only to a configuration the live nodes have a majority of.
/// </summary>
internal static class Reconfigurator
{
    public static ImmutableSortedSet<string> Reconfigure(
        IEnumerable<DiscoveryNode> liveNodes, IReadOnlySet<string> excluded, string masterId, ImmutableSortedSet<string> current)
    {
        ArgumentNullException.ThrowIfNull(liveNodes);
        ArgumentNullException.ThrowIfNull(excluded);
        ArgumentNullException.ThrowIfNull(current);
        var live = liveNodes.Where(n => n.IsMasterEligible).Select(n => n.Id).ToHashSet(StringComparer.Ordinal);
        var nonRetiredCurrent = current.Count(id => !excluded.Contains(id));
        var minimum = nonRetiredCurrent < 3 ? 1 : 3;
        var nonRetiredLive = live.Count(id => !excluded.Contains(id));
        var target = Math.Max(nonRetiredLive % 2 == 0 ? nonRetiredLive - 1 : nonRetiredLive, minimum);

        var chosen = live.Union(current)
            .Where(id => !excluded.Contains(id))
            .OrderBy(id => !live.Contains(id))
            .ThenBy(id => id != masterId)
            .ThenBy(id => !current.Contains(id))
            .ThenBy(id => id, StringComparer.Ordinal)
            .Take(target)
            .ToImmutableSortedSet(StringComparer.Ordinal);
        return CoordinationMetadata.IsQuorum(live, chosen) ? chosen : current;
    }
}
