using System.Collections.Immutable;

namespace Cloud.ElasticsearchNode.Indices;

/// <summary>
/// The metadata of every index, as one versioned immutable snapshot: what part 2's cluster state
/// carries from the master to every node. A change yields a new snapshot with a higher version.
/// </summary>
internal sealed record ClusterMetadata(string ClusterUuid, long Version, ImmutableSortedDictionary<string, IndexMetadata> Indices)
{
    public static ClusterMetadata Empty(string clusterUuid) =>
        new(clusterUuid, 0, ImmutableSortedDictionary<string, IndexMetadata>.Empty.WithComparers(StringComparer.Ordinal));

    public IndexMetadata? Index(string name) => Indices.GetValueOrDefault(name);

    /// <summary>Indices carrying an alias of this name.</summary>
    public IEnumerable<IndexMetadata> WithAlias(string alias) => Indices.Values.Where(i => i.Aliases.ContainsKey(alias));

    public bool IsAlias(string name) => Indices.Values.Any(i => i.Aliases.ContainsKey(name));

    public ClusterMetadata WithIndex(IndexMetadata index) =>
        this with { Version = Version + 1, Indices = Indices.SetItem(index.Name, index) };

    public ClusterMetadata WithoutIndex(string name) =>
        this with { Version = Version + 1, Indices = Indices.Remove(name) };
}
