namespace Cloud.ZooKeeper.Watches;

/// <summary>
/// The client-side watch tables (client paths, chroot removed). One-shot watches (data, exist, child)
/// are removed when they fire; persistent and persistent-recursive ones stay until removed. The tables
/// survive reconnects (they are re-sent with SetWatches/SetWatches2) and are emptied on expiry.
/// </summary>
internal sealed class WatchManager
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, HashSet<Watcher>> _data = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<Watcher>> _exist = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<Watcher>> _child = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<Watcher>> _persistent = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<Watcher>> _recursive = new(StringComparer.Ordinal);

    public void Register(WatchKind kind, string path, Watcher watcher)
    {
        lock (_lock)
        {
            var table = Table(kind);
            if (!table.TryGetValue(path, out var set))
            {
                set = [];
                table[path] = set;
            }

            set.Add(watcher);
        }
    }

    /// <summary>The watchers a node event fires: one-shot ones are removed, persistent ones stay.</summary>
    public List<Watcher> Trigger(EventType type, string path)
    {
        var fired = new HashSet<Watcher>();
        lock (_lock)
        {
            switch (type)
            {
                case EventType.NodeCreated:
                case EventType.NodeDataChanged:
                    Take(_data, path, fired);
                    Take(_exist, path, fired);
                    break;
                case EventType.NodeChildrenChanged:
                    Take(_child, path, fired);
                    break;
                case EventType.NodeDeleted:
                    Take(_data, path, fired);
                    Take(_exist, path, fired);
                    Take(_child, path, fired);
                    break;
                default:
                    return [.. fired];
            }

            if (_persistent.TryGetValue(path, out var persistent))
            {
                fired.UnionWith(persistent);
            }

            // A recursive watch covers its path and everything below; a child's create or delete already
            // tells it what NodeChildrenChanged would.
            if (_recursive.Count > 0 && type != EventType.NodeChildrenChanged)
            {
                for (var prefix = path; ; prefix = Parent(prefix))
                {
                    if (_recursive.TryGetValue(prefix, out var recursive))
                    {
                        fired.UnionWith(recursive);
                    }

                    if (prefix == "/")
                    {
                        break;
                    }
                }
            }
        }

        return [.. fired];
    }

    /// <summary>
    /// Removes the persistent watchers of <paramref name="kind"/> at <paramref name="path"/> (only
    /// <paramref name="watcher"/> when given) and returns them, with whether any watch of any kind is left there.
    /// </summary>
    public (List<Watcher> Removed, bool AnyLeftAtPath) RemovePersistent(WatchKind kind, string path, Watcher? watcher)
    {
        lock (_lock)
        {
            var table = Table(kind);
            var removed = new List<Watcher>();
            if (table.TryGetValue(path, out var set))
            {
                if (watcher is null)
                {
                    removed.AddRange(set);
                    set.Clear();
                }
                else if (set.Remove(watcher))
                {
                    removed.Add(watcher);
                }

                if (set.Count == 0)
                {
                    table.Remove(path);
                }
            }

            var anyLeft = _data.ContainsKey(path) || _exist.ContainsKey(path) || _child.ContainsKey(path)
                || _persistent.ContainsKey(path) || _recursive.ContainsKey(path);
            return (removed, anyLeft);
        }
    }

    /// <summary>Removes and returns every watcher (session expired or client closed).</summary>
    public List<Watcher> TakeAll()
    {
        var all = new HashSet<Watcher>();
        lock (_lock)
        {
            foreach (var table in new[] { _data, _exist, _child, _persistent, _recursive })
            {
                foreach (var set in table.Values)
                {
                    all.UnionWith(set);
                }

                table.Clear();
            }
        }

        return [.. all];
    }

    public WatchPaths Paths()
    {
        lock (_lock)
        {
            return new WatchPaths([.. _data.Keys], [.. _exist.Keys], [.. _child.Keys], [.. _persistent.Keys], [.. _recursive.Keys]);
        }
    }

    private Dictionary<string, HashSet<Watcher>> Table(WatchKind kind) => kind switch
    {
        WatchKind.Data => _data,
        WatchKind.Exist => _exist,
        WatchKind.Child => _child,
        WatchKind.Persistent => _persistent,
        _ => _recursive,
    };

    private static string Parent(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash <= 0 ? "/" : path[..slash];
    }

    private static void Take(Dictionary<string, HashSet<Watcher>> table, string path, HashSet<Watcher> into)
    {
        if (table.Remove(path, out var set))
        {
            into.UnionWith(set);
        }
    }
}
