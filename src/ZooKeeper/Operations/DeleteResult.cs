namespace Cloud.ZooKeeper;

public sealed record DeleteResult : OpResult;
