using System.Threading.Channels;
using Cloud.ZooKeeper;

namespace Cloud.Shared.Hosting;

/// <summary>
/// Wakes the reconcile loop. Watches only say "something changed": many signals before a pass
/// collapse into one, and the pass re-reads everything (level-triggered). One watcher instance is
/// handed to every read, so re-reading the same path never piles up watches. The one wake signal of
/// every agent loop (the runner's and the allocator's).
/// </summary>
public sealed class ReconcileSignal
{
    private readonly Channel<bool> _channel = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public ReconcileSignal() => Watcher = Watcher.Create(_ =>
    {
        Notify();
        return Task.CompletedTask;
    });

    public Watcher Watcher { get; }

    public void Notify() => _channel.Writer.TryWrite(true);

    /// <summary>Waits for a signal or until <paramref name="timeout"/> passes.</summary>
    public async Task WaitAsync(TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            await _channel.Reader.WaitToReadAsync(linked.Token);
            _channel.Reader.TryRead(out _);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The interval passed: time for a pass anyway.
        }
    }
}
