namespace Cloud.ZooKeeper.Recipes;

internal enum CacheWorkKind
{
    Resync,
    Children,
    Child,
    Disconnected,
}
