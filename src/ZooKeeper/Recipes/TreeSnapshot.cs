using System.Collections.Immutable;

namespace Cloud.ZooKeeper.Recipes;

/// <summary>
/// A point-in-time view of a subtree kept by a <see cref="TreeCache"/>: every node at or below
/// <see cref="Root"/> by full client path. <see cref="Version"/> grows with every published snapshot.
/// <see cref="IsAuthoritative"/> is true only while connected and after the whole subtree was read since
/// the last (re)connect; otherwise the view may be stale (keep using it, but do not delete on its evidence).
/// </summary>
public sealed record TreeSnapshot(string Root, ImmutableDictionary<string, TreeNode> Nodes, long Version, bool IsAuthoritative)
{
    /// <summary>False when the root node does not exist (then <see cref="Nodes"/> is empty).</summary>
    public bool RootExists => Nodes.ContainsKey(Root);

    internal static TreeSnapshot Empty(string root) =>
        new(root, ImmutableDictionary<string, TreeNode>.Empty.WithComparers(StringComparer.Ordinal), 0, false);

    public TreeNode? Get(string path) => Nodes.GetValueOrDefault(path);

    /// <summary>The cached children of <paramref name="path"/>, by name (empty when the node is not cached).</summary>
    public IEnumerable<TreeNode> ChildrenOf(string path)
    {
        if (!Nodes.TryGetValue(path, out var parent))
        {
            yield break;
        }

        foreach (var name in parent.Children)
        {
            if (Nodes.TryGetValue(ZPaths.Combine(path, name), out var child))
            {
                yield return child;
            }
        }
    }
}
