using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Cloud.ZooKeeper;

/// <summary>
/// A persistent watch read as a stream (<see cref="ZooKeeperClient.SubscribeAsync"/>). Events are buffered
/// in order; the stream ends when the watch is removed, the session expires or the client closes.
/// </summary>
public sealed class WatchSubscription : IAsyncDisposable
{
    private readonly ZooKeeperClient _client;
    private readonly Channel<WatchedEvent> _events = Channel.CreateUnbounded<WatchedEvent>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private int _disposed;

    internal WatchSubscription(ZooKeeperClient client, string path, AddWatchMode mode)
    {
        _client = client;
        Path = path;
        Mode = mode;
        Watcher = Watcher.Create(OnEventAsync);
    }

    public string Path { get; }

    public AddWatchMode Mode { get; }

    internal Watcher Watcher { get; }

    /// <summary>The node events, in the order the server sent them.</summary>
    public async IAsyncEnumerable<WatchedEvent> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var watchedEvent in _events.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return watchedEvent;
        }
    }

    /// <summary>Removes the watch (if the session still has it) and ends the stream.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            await _client.RemoveWatchesAsync(Path, Mode, Watcher).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NoWatcherException or ObjectDisposedException or SessionExpiredException)
        {
            // Already gone with the session or the client.
        }

        _events.Writer.TryComplete();
    }

    private Task OnEventAsync(WatchedEvent watchedEvent)
    {
        if (watchedEvent.Type == EventType.None || watchedEvent.Type == EventType.PersistentWatchRemoved)
        {
            _events.Writer.TryComplete();
        }
        else
        {
            _events.Writer.TryWrite(watchedEvent);
        }

        return Task.CompletedTask;
    }
}
