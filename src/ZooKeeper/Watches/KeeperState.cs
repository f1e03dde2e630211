namespace Cloud.ZooKeeper;

/// <summary>The session state attached to a watch event; the values are ZooKeeper's.</summary>
public enum KeeperState
{
    Disconnected = 0,
    SyncConnected = 3,
    AuthFailed = 4,
    ConnectedReadOnly = 5,
    Closed = 7,
    Expired = -112,
}
