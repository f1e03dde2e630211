namespace Cloud.ZooKeeper.Watches;

/// <summary>The client-side watch tables: the three one-shot kinds ZooKeeper distinguishes, and the two persistent ones (3.6+).</summary>
internal enum WatchKind
{
    Data,
    Exist,
    Child,
    Persistent,
    PersistentRecursive,
}
