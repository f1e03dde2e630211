namespace Cloud.ZooKeeper;

/// <summary>
/// A watch fired. Node events carry <see cref="KeeperState.SyncConnected"/> and the client path
/// (chroot removed); when the session expires or the client closes, every pending watcher gets one
/// <see cref="EventType.None"/> event with <see cref="KeeperState.Expired"/> or <see cref="KeeperState.Closed"/>.
/// </summary>
public sealed record WatchedEvent(EventType Type, KeeperState State, string? Path);
