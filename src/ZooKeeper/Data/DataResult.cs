namespace Cloud.ZooKeeper;

/// <summary>The data of a znode and its metadata.</summary>
public sealed record DataResult(byte[] Data, Stat Stat);
