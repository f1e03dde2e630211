namespace Cloud.ZooKeeper;

/// <summary>How a znode is created; the values are ZooKeeper's create flags.</summary>
public enum CreateMode
{
    Persistent = 0,
    Ephemeral = 1,
    PersistentSequential = 2,
    EphemeralSequential = 3,
}
