namespace Cloud.ZooKeeper;

/// <summary>The child names of a znode and the znode's metadata.</summary>
public sealed record ChildrenResult(IReadOnlyList<string> Children, Stat Stat);
