namespace Cloud.ZooKeeper;

public sealed record CreateResult(string Path) : OpResult;
