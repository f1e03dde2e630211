namespace Cloud.ZooKeeper.Watches;

/// <summary>The paths with outstanding watches, per table, as sent in SetWatches (or SetWatches2 when there are persistent ones).</summary>
internal sealed record WatchPaths(
    IReadOnlyList<string> Data,
    IReadOnlyList<string> Exist,
    IReadOnlyList<string> Child,
    IReadOnlyList<string> Persistent,
    IReadOnlyList<string> PersistentRecursive)
{
    public bool IsEmpty => Data.Count == 0 && Exist.Count == 0 && Child.Count == 0 && !HasPersistent;

    public bool HasPersistent => Persistent.Count > 0 || PersistentRecursive.Count > 0;
}
