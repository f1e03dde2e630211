namespace Cloud.ZooKeeper;

/// <summary>
/// Receives watch events. A watch fires at most once; register again (by reading again) to keep watching.
/// Events are delivered one at a time in the order the server sent them, so keep handlers short.
/// </summary>
public abstract class Watcher
{
    public abstract Task ProcessAsync(WatchedEvent watchedEvent);

    public static Watcher Create(Func<WatchedEvent, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return new DelegateWatcher(handler);
    }
}
