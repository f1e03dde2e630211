namespace Cloud.ZooKeeper;

internal sealed class DelegateWatcher(Func<WatchedEvent, Task> handler) : Watcher
{
    public override Task ProcessAsync(WatchedEvent watchedEvent) => handler(watchedEvent);
}
