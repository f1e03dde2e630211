using System.Collections.Immutable;

namespace Cloud.ZooKeeper.Recipes;

/// <summary>Reading the subtree: all of it (resync), or the nodes named by a batch of events.</summary>
public sealed partial class TreeCache
{
    private const int MaxBatch = 1024;
    private const int ReadsInFlight = 512;

    /// <summary>Reads the whole subtree level by level (pipelined) and publishes it as the new state.</summary>
    private async Task ResyncAsync(CancellationToken cancellationToken)
    {
        var nodes = ImmutableDictionary.CreateBuilder<string, TreeNode>(StringComparer.Ordinal);
        List<string> level = [Root];
        while (level.Count > 0)
        {
            var data = await ReadAllAsync(level, TryGetDataAsync, cancellationToken).ConfigureAwait(false);
            var parents = new List<string>();
            for (var i = 0; i < level.Count; i++)
            {
                if (data[i] is { } read)
                {
                    nodes[level[i]] = new TreeNode(level[i], read.Data, read.Stat, TreeNode.NoChildren);
                    if (read.Stat.NumChildren > 0)
                    {
                        parents.Add(level[i]);
                    }
                }
            }

            // A child created after its parent's read is announced by the watch, which was set before.
            var listings = await ReadAllAsync(parents, TryGetChildrenAsync, cancellationToken).ConfigureAwait(false);
            level = [];
            for (var i = 0; i < parents.Count; i++)
            {
                var children = listings[i] ?? [];
                nodes[parents[i]] = nodes[parents[i]] with { Children = ImmutableSortedSet.CreateRange(StringComparer.Ordinal, children) };
                level.AddRange(children.Select(name => ZPaths.Combine(parents[i], name)));
            }
        }

        _resyncPending = false;
        Publish(nodes.ToImmutable());
    }

    /// <summary>Re-reads the nodes events named (each once, after its events arrived) and applies what they are now.</summary>
    private async Task RefreshAsync(List<string> changed, CancellationToken cancellationToken)
    {
        // Parents before children, so a new child finds its new parent to be listed in.
        var paths = changed.Distinct(StringComparer.Ordinal).OrderBy(p => p.Count(c => c == '/')).ThenBy(p => p, StringComparer.Ordinal).ToList();
        var reads = await ReadAllAsync(paths, TryGetDataAsync, cancellationToken).ConfigureAwait(false);
        var nodes = Current.Nodes.ToBuilder();
        for (var i = 0; i < paths.Count; i++)
        {
            if (reads[i] is { } read)
            {
                Put(nodes, paths[i], read);
            }
            else
            {
                RemoveSubtree(nodes, paths[i]);
            }
        }

        Publish(nodes.ToImmutable());
    }

    private void Put(ImmutableDictionary<string, TreeNode>.Builder nodes, string path, DataResult read)
    {
        if (nodes.TryGetValue(path, out var existing))
        {
            nodes[path] = existing with { Data = read.Data, Stat = read.Stat };
            return;
        }

        nodes[path] = new TreeNode(path, read.Data, read.Stat, TreeNode.NoChildren);
        if (path != Root && nodes.TryGetValue(ZPaths.Parent(path), out var parent))
        {
            nodes[parent.Path] = parent with { Children = parent.Children.Add(ZPaths.Name(path)) };
        }
    }

    private void RemoveSubtree(ImmutableDictionary<string, TreeNode>.Builder nodes, string path)
    {
        if (!nodes.TryGetValue(path, out var node))
        {
            return;
        }

        foreach (var name in node.Children)
        {
            RemoveSubtree(nodes, ZPaths.Combine(path, name));
        }

        nodes.Remove(path);
        if (path != Root && nodes.TryGetValue(ZPaths.Parent(path), out var parent))
        {
            nodes[parent.Path] = parent with { Children = parent.Children.Remove(node.Name) };
        }
    }

    private async Task<DataResult?> TryGetDataAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.GetDataAsync(path, null, cancellationToken).ConfigureAwait(false);
        }
        catch (NoNodeException)
        {
            return null;
        }
    }

    private async Task<IReadOnlyList<string>?> TryGetChildrenAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return (await _client.GetChildrenAsync(path, null, cancellationToken).ConfigureAwait(false)).Children;
        }
        catch (NoNodeException)
        {
            return null;
        }
    }

    /// <summary>Runs one read per path, at most <see cref="ReadsInFlight"/> outstanding; results in path order.</summary>
    private static async Task<T?[]> ReadAllAsync<T>(List<string> paths, Func<string, CancellationToken, Task<T?>> read, CancellationToken cancellationToken)
        where T : class
    {
        var results = new T?[paths.Count];
        for (var start = 0; start < paths.Count; start += ReadsInFlight)
        {
            var count = Math.Min(ReadsInFlight, paths.Count - start);
            var tasks = new Task<T?>[count];
            for (var i = 0; i < count; i++)
            {
                tasks[i] = read(paths[start + i], cancellationToken);
            }

            var done = await Task.WhenAll(tasks).ConfigureAwait(false);
            done.CopyTo(results, start);
        }

        return results;
    }
}
