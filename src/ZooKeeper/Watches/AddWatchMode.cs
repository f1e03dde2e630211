namespace Cloud.ZooKeeper;

/// <summary>What a persistent watch (<see cref="ZooKeeperClient.AddWatchAsync"/>) follows; the values are ZooKeeper's.</summary>
public enum AddWatchMode
{
    /// <summary>
    /// Like a data watch and a child watch on the path that stay set: NodeCreated, NodeDataChanged and
    /// NodeDeleted of the path, NodeChildrenChanged of its children.
    /// </summary>
    Persistent = 0,

    /// <summary>
    /// NodeCreated, NodeDataChanged and NodeDeleted of the path and of every node below it, at any depth
    /// (no NodeChildrenChanged: a child's NodeCreated/NodeDeleted says the same).
    /// </summary>
    PersistentRecursive = 1,
}
