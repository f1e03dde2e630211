namespace Cloud.ZooKeeper.Watches;

/// <summary>The paths with outstanding watches, per table, as sent in SetWatches.</summary>
internal sealed record WatchPaths(IReadOnlyList<string> Data, IReadOnlyList<string> Exist, IReadOnlyList<string> Child)
{
    public bool IsEmpty => Data.Count == 0 && Exist.Count == 0 && Child.Count == 0;
}
