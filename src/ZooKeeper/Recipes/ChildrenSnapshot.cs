using System.Collections.Immutable;

namespace Cloud.ZooKeeper.Recipes;

/// <summary>
/// A point-in-time view of the cached children. <see cref="Version"/> grows with every published snapshot;
/// <see cref="IsConnected"/> is false while the cache may be stale (disconnected, or not yet re-synced).
/// <see cref="PathExists"/> is false when a cache that does not create its path found it missing: an
/// absent parent is not the same as a parent without children.
/// </summary>
public sealed record ChildrenSnapshot(ImmutableDictionary<string, ChildData> Children, long Version, bool IsConnected, bool PathExists = true)
{
    public static ChildrenSnapshot Empty { get; } = new(ImmutableDictionary<string, ChildData>.Empty.WithComparers(StringComparer.Ordinal), 0, false);
}
