namespace Cloud.ZooKeeper;

/// <summary>How a znode is created; the values are ZooKeeper's create flags.</summary>
public enum CreateMode
{
    Persistent = 0,
    Ephemeral = 1,
    PersistentSequential = 2,
    EphemeralSequential = 3,

    /// <summary>
    /// A persistent node the server deletes once it has had children and has none left (checked about
    /// once a minute). Good for parents of ephemeral or short-lived nodes, such as lock and election roots.
    /// </summary>
    Container = 4,
}
