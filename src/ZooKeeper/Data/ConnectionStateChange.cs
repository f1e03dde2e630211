namespace Cloud.ZooKeeper;

/// <summary>
/// The client moved to <paramref name="State"/>. <paramref name="IsNewSession"/> is true on the first
/// <see cref="ConnectionState.Connected"/> of a session (initial connect or renewal after expiry):
/// ephemeral nodes and watches of the previous session are gone.
/// </summary>
public sealed record ConnectionStateChange(ConnectionState State, long SessionId, bool IsNewSession);
