namespace Cloud.ZooKeeper.Watches;

/// <summary>The three client-side watch tables, as ZooKeeper distinguishes them.</summary>
internal enum WatchKind
{
    Data,
    Exist,
    Child,
}
