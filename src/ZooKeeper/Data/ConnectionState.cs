namespace Cloud.ZooKeeper;

/// <summary>The state of a client's connection to the ensemble.</summary>
public enum ConnectionState
{
    Connecting,
    Connected,
    Disconnected,
    Expired,
    Closed,
}
