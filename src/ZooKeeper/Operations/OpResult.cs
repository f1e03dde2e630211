namespace Cloud.ZooKeeper;

/// <summary>The result of one op of a multi.</summary>
public abstract record OpResult;
