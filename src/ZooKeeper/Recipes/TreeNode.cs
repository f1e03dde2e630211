using System.Collections.Immutable;

namespace Cloud.ZooKeeper.Recipes;

/// <summary>One cached znode of a <see cref="TreeCache"/>: its full client path, data, stat and the names of its children.</summary>
public sealed record TreeNode(string Path, byte[] Data, Stat Stat, ImmutableSortedSet<string> Children)
{
    internal static readonly ImmutableSortedSet<string> NoChildren = ImmutableSortedSet.Create<string>(StringComparer.Ordinal);

    /// <summary>The last path segment ("" for "/").</summary>
    public string Name => Path == "/" ? string.Empty : Path[(Path.LastIndexOf('/') + 1)..];
}
