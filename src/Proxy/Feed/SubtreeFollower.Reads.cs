using Cloud.ZooKeeper;

namespace Cloud.Proxy.Feed;

/// <summary>Reading the followed nodes: all of them (resync), or the ones a batch of events named.</summary>
internal sealed partial class SubtreeFollower
{
    private const int ReadsInFlight = 512;

    /// <summary>Lists the subtree down to the followed depth, reads every followed node, reports the differences.</summary>
    private async Task ResyncAsync(CancellationToken cancellationToken)
    {
        List<string> level = [Root];
        for (var depth = 1; depth <= _depth; depth++)
        {
            var listings = await ReadAllAsync(level, TryGetChildrenAsync, cancellationToken);
            var next = new List<string>();
            for (var i = 0; i < level.Count; i++)
            {
                foreach (var name in listings[i] ?? [])
                {
                    next.Add(level[i] + "/" + name);
                }
            }

            level = next;
        }

        // A node created after its parent was listed is announced by the watch, which was set before.
        var reads = await ReadAllAsync(level, TryGetDataAsync, cancellationToken);
        var found = new Dictionary<string, long>(level.Count, StringComparer.Ordinal);
        var changes = new List<FollowedChange>();
        for (var i = 0; i < level.Count; i++)
        {
            if (reads[i] is not { } read)
            {
                continue;
            }

            found[level[i]] = read.Stat.Mzxid;
            if (!_known.TryGetValue(level[i], out var mzxid) || mzxid != read.Stat.Mzxid)
            {
                changes.Add(ChangeOf(level[i], read.Data));
            }
        }

        foreach (var path in _known.Keys)
        {
            if (!found.ContainsKey(path))
            {
                changes.Add(ChangeOf(path, null));
            }
        }

        Volatile.Write(ref _known, found);
        _resyncPending = false;
        Publish(changes);
    }

    /// <summary>Re-reads the nodes events named (each once, after its events arrived) and reports what moved.</summary>
    private async Task RefreshAsync(List<string> changed, CancellationToken cancellationToken)
    {
        var paths = changed.Distinct(StringComparer.Ordinal).ToList();
        var reads = await ReadAllAsync(paths, TryGetDataAsync, cancellationToken);
        var changes = new List<FollowedChange>(paths.Count);
        for (var i = 0; i < paths.Count; i++)
        {
            if (reads[i] is { } read)
            {
                if (!_known.TryGetValue(paths[i], out var mzxid) || mzxid != read.Stat.Mzxid)
                {
                    _known[paths[i]] = read.Stat.Mzxid;
                    changes.Add(ChangeOf(paths[i], read.Data));
                }
            }
            else if (_known.Remove(paths[i]))
            {
                changes.Add(ChangeOf(paths[i], null));
            }
        }

        Publish(changes);
    }

    private async Task<DataResult?> TryGetDataAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.GetDataAsync(path, null, cancellationToken);
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
            return (await _client.GetChildrenAsync(path, null, cancellationToken)).Children;
        }
        catch (NoNodeException)
        {
            return null;
        }
    }

    /// <summary>One read per path, at most <see cref="ReadsInFlight"/> outstanding (pipelined on the session); results in path order.</summary>
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

            var done = await Task.WhenAll(tasks);
            done.CopyTo(results, start);
        }

        return results;
    }
}
