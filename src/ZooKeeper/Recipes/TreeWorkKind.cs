namespace Cloud.ZooKeeper.Recipes;

internal enum TreeWorkKind
{
    NodeChanged,
    Resync,
    Disconnected,
    Reconnected,
    NewSession,
    WatchLost,
}
