namespace Cloud.ZooKeeper;

public sealed record SetDataResult(Stat Stat) : OpResult;
