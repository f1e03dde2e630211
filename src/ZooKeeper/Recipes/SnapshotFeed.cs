using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Cloud.ZooKeeper.Recipes;

/// <summary>
/// The latest immutable snapshot of a cache and its subscribers: each subscriber gets the current snapshot
/// first, then every later one in order. Publishing and subscribing share one lock, so a subscriber never
/// misses a snapshot published while it joined.
/// </summary>
/// <param name="latestOnly">
/// A slow subscriber skips to the newest snapshot (for snapshots that are whole states) instead of
/// receiving every one (for snapshots a reader diffs one by one).
/// </param>
internal sealed class SnapshotFeed<T>(T initial, bool latestOnly)
    where T : class
{
    private readonly Lock _lock = new();
    private readonly List<Channel<T>> _subscribers = [];
    private T _current = initial;

    public T Current => Volatile.Read(ref _current);

    public void Publish(T snapshot)
    {
        lock (_lock)
        {
            Volatile.Write(ref _current, snapshot);
            foreach (var subscriber in _subscribers)
            {
                subscriber.Writer.TryWrite(snapshot);
            }
        }
    }

    /// <summary>Yields the current snapshot, then newer ones until cancelled or <see cref="Complete"/>.</summary>
    public async IAsyncEnumerable<T> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var channel = latestOnly
            ? Channel.CreateBounded<T>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true })
            : Channel.CreateUnbounded<T>(new UnboundedChannelOptions { SingleReader = true });
        lock (_lock)
        {
            channel.Writer.TryWrite(_current);
            _subscribers.Add(channel);
        }

        try
        {
            await foreach (var snapshot in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return snapshot;
            }
        }
        finally
        {
            lock (_lock)
            {
                _subscribers.Remove(channel);
            }
        }
    }

    /// <summary>Ends every subscriber's enumeration once it has read what was published before.</summary>
    public void Complete()
    {
        lock (_lock)
        {
            foreach (var subscriber in _subscribers)
            {
                subscriber.Writer.TryComplete();
            }

            _subscribers.Clear();
        }
    }
}
