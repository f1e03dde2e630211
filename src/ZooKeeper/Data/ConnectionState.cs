namespace Cloud.ZooKeeper;

/// <summary>The state of a client's connection to the ensemble.</summary>
public enum ConnectionState
{
    Connecting,
    Connected,
    Disconnected,
    Expired,

    /// <summary>The client is closing its session: no reconnect and no disconnect is reported after this, only <see cref="Closed"/>.</summary>
    Closing,
    Closed,
}
