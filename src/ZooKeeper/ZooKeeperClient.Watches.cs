using Cloud.ZooKeeper.Jute;
using Cloud.ZooKeeper.Protocol;
using Cloud.ZooKeeper.Session;
using Cloud.ZooKeeper.Watches;

namespace Cloud.ZooKeeper;

/// <summary>Persistent watches (ZooKeeper 3.6+): set once, they fire on every change until removed.</summary>
public sealed partial class ZooKeeperClient
{
    /// <summary>
    /// Sets a persistent watch on <paramref name="path"/> (which need not exist). It survives reconnects
    /// (re-sent with SetWatches2) but not session expiry: then <paramref name="watcher"/> gets one
    /// <see cref="KeeperState.Expired"/> event, like every watcher, and must be added again. Changes made
    /// while disconnected are not replayed: re-read after a reconnect. With ZooKeeper 3.8 servers, do not also
    /// set one-shot watches on the same path from this client: the server keeps one watch mode per path and session.
    /// </summary>
    public Task AddWatchAsync(string path, AddWatchMode mode, Watcher watcher, CancellationToken cancellationToken = default)
    {
        PathValidator.Validate(path);
        ArgumentNullException.ThrowIfNull(watcher);
        if (mode is not (AddWatchMode.Persistent or AddWatchMode.PersistentRecursive))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown watch mode.");
        }

        using var writer = RequestFrame.Start(OpCode.AddWatch, capacity: path.Length + 32);
        writer.WriteString(ServerPath(path));
        writer.WriteInt((int)mode);
        var watch = new WatchRegistration(KindOf(mode), path, watcher);
        return _session.SubmitAsync(new PendingRequest<bool>(OpCode.AddWatch, path, static (ref JuteReader _) => true, watch), writer, cancellationToken);
    }

    /// <summary>
    /// Adds a persistent watch whose events are read from the returned subscription; disposing it removes the watch.
    /// The subscription ends after a <see cref="KeeperState.Expired"/> or <see cref="KeeperState.Closed"/> event.
    /// </summary>
    public async Task<WatchSubscription> SubscribeAsync(string path, AddWatchMode mode, CancellationToken cancellationToken = default)
    {
        var subscription = new WatchSubscription(this, path, mode);
        await AddWatchAsync(path, mode, subscription.Watcher, cancellationToken).ConfigureAwait(false);
        return subscription;
    }

    /// <summary>
    /// Removes the persistent watches of <paramref name="mode"/> at <paramref name="path"/> (only
    /// <paramref name="watcher"/> when given); each removed watcher gets one <see cref="EventType.PersistentWatchRemoved"/>
    /// event and nothing after. Throws <see cref="NoWatcherException"/> when there was none.
    /// </summary>
    public async Task RemoveWatchesAsync(string path, AddWatchMode mode, Watcher? watcher = null, CancellationToken cancellationToken = default)
    {
        PathValidator.Validate(path);
        var (removed, anyLeft) = _session.Watches.RemovePersistent(KindOf(mode), path, watcher);
        if (removed.Count == 0)
        {
            throw new NoWatcherException(path, $"No {mode} watch at {path}.");
        }

        foreach (var gone in removed)
        {
            _session.Events.Enqueue(gone, new WatchedEvent(EventType.PersistentWatchRemoved, KeeperState.SyncConnected, path));
        }

        if (anyLeft)
        {
            // The server keeps one watch per path and session: removing it there would silence the other
            // watchers left here. Its events for the removed watcher are simply not delivered any more.
            return;
        }

        using var writer = RequestFrame.Start(OpCode.RemoveWatches, capacity: path.Length + 32);
        writer.WriteString(ServerPath(path));
        writer.WriteInt(WatcherTypeAny);
        try
        {
            await _session.SubmitAsync(new PendingRequest<bool>(OpCode.RemoveWatches, path, static (ref JuteReader _) => true), writer, cancellationToken).ConfigureAwait(false);
        }
        catch (ZooKeeperException ex) when (ex is NoWatcherException || ex.IsTransient)
        {
            // The client's table is the truth: a watch the server no longer has is removed, and a reconnect
            // only restores the watches still in the table.
        }
    }

    /// <summary>ZooKeeper 3.8's WatcherType.Any: on the server a persistent watch lives in both the data and the child table.</summary>
    private const int WatcherTypeAny = 3;

    private static WatchKind KindOf(AddWatchMode mode) =>
        mode == AddWatchMode.PersistentRecursive ? WatchKind.PersistentRecursive : WatchKind.Persistent;
}
