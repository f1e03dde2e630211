namespace Cloud.ZooKeeper.Watches;

/// <summary>
/// The client-side watch tables (client paths, chroot removed). Watches are one-shot: a fired watch is
/// removed. The tables survive reconnects (they are re-sent with SetWatches) and are emptied on expiry.
/// </summary>
internal sealed class WatchManager
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, HashSet<Watcher>> _data = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<Watcher>> _exist = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<Watcher>> _child = new(StringComparer.Ordinal);

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

    /// <summary>Removes and returns the watchers a node event fires.</summary>
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
                    break;
            }
        }

        return [.. fired];
    }

    /// <summary>Removes and returns every watcher (session expired or client closed).</summary>
    public List<Watcher> TakeAll()
    {
        var all = new HashSet<Watcher>();
        lock (_lock)
        {
            foreach (var table in new[] { _data, _exist, _child })
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
            return new WatchPaths([.. _data.Keys], [.. _exist.Keys], [.. _child.Keys]);
        }
    }

    private Dictionary<string, HashSet<Watcher>> Table(WatchKind kind) => kind switch
    {
        WatchKind.Data => _data,
        WatchKind.Exist => _exist,
        _ => _child,
    };

    private static void Take(Dictionary<string, HashSet<Watcher>> table, string path, HashSet<Watcher> into)
    {
        if (table.Remove(path, out var set))
        {
            into.UnionWith(set);
        }
    }
}
