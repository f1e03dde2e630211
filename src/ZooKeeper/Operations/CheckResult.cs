namespace Cloud.ZooKeeper;

public sealed record CheckResult : OpResult;
