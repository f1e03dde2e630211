using System.Collections.Immutable;

namespace Cloud.ElasticsearchNode.Cluster.State;

/// <summary>A node as the cluster knows it: ids survive restarts, addresses are what peers dial.</summary>
internal sealed record DiscoveryNode(
    string Id,
    string Name,
    string TransportAddress,
    string? HttpAddress,
    string Host,
    ImmutableSortedSet<string> Roles,
    ImmutableSortedDictionary<string, string> Attributes)
{
    public bool IsMasterEligible => Roles.Contains("master");

    /// <summary>Any data role (data, data_hot, data_content...) lets a node hold shards.</summary>
    public bool IsDataNode => Roles.Any(r => r == "data" || r.StartsWith("data_", StringComparison.Ordinal));

    public string? Attribute(string name) => Attributes.TryGetValue(name, out var value) ? value : null;
}
