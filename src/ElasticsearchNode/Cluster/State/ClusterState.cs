using System.Collections.Immutable;

namespace Cloud.ElasticsearchNode.Cluster.State;

/// <summary>
/// The whole cluster as the elected master publishes it: immutable, versioned within a term, applied
/// in order on every node. Only the master makes a new one, by a pure change of the previous.
/// </summary>
internal sealed record ClusterState(
    string ClusterName,
    string ClusterUuid,
    bool ClusterUuidCommitted,
    long Term,
    long Version,
    string? MasterNodeId,
    ImmutableSortedDictionary<string, DiscoveryNode> Nodes,
    CoordinationMetadata Coordination,
    ClusterMetadata Metadata,
    RoutingTable Routing)
{
    public const string UnknownUuid = "_na_";

    public static ClusterState Empty(string clusterName) => new(
        clusterName, UnknownUuid, false, 0, 0, null,
        ImmutableSortedDictionary<string, DiscoveryNode>.Empty.WithComparers(StringComparer.Ordinal),
        CoordinationMetadata.Empty, ClusterMetadata.Empty, RoutingTable.Empty);

    public DiscoveryNode? MasterNode => MasterNodeId is { } id && Nodes.TryGetValue(id, out var node) ? node : null;

    public IEnumerable<DiscoveryNode> DataNodes => Nodes.Values.Where(n => n.IsDataNode);

    public DiscoveryNode? NodeByName(string name) => Nodes.Values.FirstOrDefault(n => string.Equals(n.Name, name, StringComparison.Ordinal));

    /// <summary>Orders states as the protocol does: a later term wins, then a later version.</summary>
    public bool IsNewerThan(ClusterState other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Term > other.Term || (Term == other.Term && Version > other.Version);
    }
}
