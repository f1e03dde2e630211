using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Cloud.ZooKeeper.Session;

/// <summary>
/// Runs watcher callbacks and connection-state handlers one at a time, in the order the events
/// happened, off the receive loop (like the Java client's event thread).
/// </summary>
internal sealed partial class EventDispatcher : IAsyncDisposable
{
    private readonly Channel<Func<Task>> _queue = Channel.CreateUnbounded<Func<Task>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ILogger _logger;
    private readonly Task _loop;

    public EventDispatcher(ILogger logger)
    {
        _logger = logger;
        _loop = Task.Run(RunAsync);
    }

    public void Enqueue(Func<Task> work) => _queue.Writer.TryWrite(work);

    public void Enqueue(Watcher watcher, WatchedEvent watchedEvent) => Enqueue(() => watcher.ProcessAsync(watchedEvent));

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task RunAsync()
    {
        await foreach (var work in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                await work().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                LogHandlerFailed(_logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A ZooKeeper watcher or connection-state handler threw")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception);
}
