using System.Collections.Immutable;

namespace Cloud.ElasticsearchNode.Cluster.State;

/// <summary>Indices, cluster settings (transient over persistent), shutdowns and snapshot repositories.</summary>
internal sealed record ClusterMetadata(
    ImmutableSortedDictionary<string, ClusterIndex> Indices,
    ImmutableSortedDictionary<string, string> PersistentSettings,
    ImmutableSortedDictionary<string, string> TransientSettings,
    ImmutableSortedDictionary<string, NodeShutdown> Shutdowns,
    ImmutableSortedDictionary<string, SnapshotRepository> Repositories)
{
    public static ClusterMetadata Empty { get; } = new(
        ImmutableSortedDictionary<string, ClusterIndex>.Empty.WithComparers(StringComparer.Ordinal),
        ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal),
        ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal),
        ImmutableSortedDictionary<string, NodeShutdown>.Empty.WithComparers(StringComparer.Ordinal),
        ImmutableSortedDictionary<string, SnapshotRepository>.Empty.WithComparers(StringComparer.Ordinal));

    /// <summary>The effective value of a cluster setting: transient, else persistent, else null.</summary>
    public string? Setting(string key) =>
        TransientSettings.TryGetValue(key, out var t) ? t : PersistentSettings.TryGetValue(key, out var p) ? p : null;
}
