using System.Threading.Channels;

namespace Cloud.ZooKeeper.Tests.Watches;

/// <summary>A watcher that records what it receives, for assertions.</summary>
internal sealed class WatchRecorder : Watcher
{
    private readonly Channel<WatchedEvent> _events = Channel.CreateUnbounded<WatchedEvent>();

    public int Count { get; private set; }

    public override Task ProcessAsync(WatchedEvent watchedEvent)
    {
        Count++;
        _events.Writer.TryWrite(watchedEvent);
        return Task.CompletedTask;
    }

    public async Task<WatchedEvent> NextAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        return await _events.Reader.ReadAsync(cts.Token);
    }

    public async Task<bool> NoneWithinAsync(TimeSpan window)
    {
        await Task.Delay(window);
        return !_events.Reader.TryPeek(out _);
    }
}
