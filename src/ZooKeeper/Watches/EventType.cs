namespace Cloud.ZooKeeper;

/// <summary>What a watch event reports; the values are ZooKeeper's.</summary>
public enum EventType
{
    None = -1,
    NodeCreated = 1,
    NodeDeleted = 2,
    NodeDataChanged = 3,
    NodeChildrenChanged = 4,

    /// <summary>Sent to a persistent watcher removed with <see cref="ZooKeeperClient.RemoveWatchesAsync"/>: it gets no more events.</summary>
    PersistentWatchRemoved = 7,
}
