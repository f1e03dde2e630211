using System.Collections.Immutable;

namespace Cloud.ZooKeeper.Recipes;

/// <summary>What changed between two snapshots of a <see cref="ChildrenCache"/> (names, sorted).</summary>
public sealed record ChildrenChange(ImmutableArray<string> Added, ImmutableArray<string> Updated, ImmutableArray<string> Removed, ChildrenSnapshot Snapshot)
{
    public bool IsEmpty => Added.IsEmpty && Updated.IsEmpty && Removed.IsEmpty;
}
