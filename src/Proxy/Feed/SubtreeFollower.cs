using System.Threading.Channels;
using Cloud.ZooKeeper;
using Microsoft.Extensions.Logging;

namespace Cloud.Proxy.Feed;

/// <summary>
/// Follows every node at one depth below a root (depth 1: <c>/cloud/allocators/&lt;id&gt;</c>; depth 2:
/// <c>/cloud/instances/&lt;cluster_id&gt;/&lt;instance&gt;</c>) with ONE persistent recursive watch, however many
/// clusters there are. Each event re-reads just the node it names and reports it in <see cref="Changed"/> when its
/// version moved, so one instance changing among 10,000 clusters costs one read and one report.
/// <para>
/// ZooKeeper does not replay events missed while disconnected, so after every reconnect (and after a new session,
/// once the watch is set again) it re-reads the whole subtree and reports only the real differences from what it
/// reported before. A disconnect itself reports nothing: a watch firing on a lost session, or reads failing during
/// an outage, never remove a node; only a successful read on a connected session says a node is gone.
/// </para>
/// </summary>
internal sealed partial class SubtreeFollower : IAsyncDisposable
{
    private const int MaxBatch = 1024;

    private readonly ZooKeeperClient _client;
    private readonly int _depth;
    private readonly ILogger _logger;
    private readonly Channel<FollowerWork> _work = Channel.CreateUnbounded<FollowerWork>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly Watcher _watcher;

    // Path → modification zxid of every node reported; touched only by StartAsync and then the loop.
    private Dictionary<string, long> _known = new(StringComparer.Ordinal);
    private Task _loop = Task.CompletedTask;
    private bool _resyncPending;
    private bool _watchLost;

    public SubtreeFollower(ZooKeeperClient client, string root, int depth, ILogger logger)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(depth, 2);
        _client = client;
        Root = root;
        _depth = depth;
        _logger = logger;
        _watcher = Watcher.Create(OnWatchEvent);
    }

    /// <summary>Raised on the follower's loop with each batch of nodes that appeared, changed or disappeared.</summary>
    public event Action<IReadOnlyList<FollowedChange>>? Changed;

    public string Root { get; }

    /// <summary>How many nodes are followed (at the followed depth).</summary>
    public int Count => Volatile.Read(ref _known).Count;

    /// <summary>How many full re-reads of the subtree there were after the first (reconnects, new sessions, failed reads).</summary>
    public int Resyncs { get; private set; }

    /// <summary>Sets the watch and reads (and reports) the whole subtree before returning, retrying connection trouble.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _client.ConnectionStateChanged += OnConnectionStateChanged;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await _client.AddWatchAsync(Root, AddWatchMode.PersistentRecursive, _watcher, cancellationToken);
                await ResyncAsync(cancellationToken);
                break;
            }
            catch (ZooKeeperException ex) when (IsRetryable(ex) && !cancellationToken.IsCancellationRequested)
            {
                LogStartRetry(ex, Root, attempt);
                await Backoff.Default.WaitAsync(attempt, _client.Options.TimeProvider, cancellationToken);
            }
        }

        Resyncs = 0;
        _loop = Task.Run(LoopAsync, CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        _client.ConnectionStateChanged -= OnConnectionStateChanged;
        await _stop.CancelAsync();
        _work.Writer.TryComplete();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        try
        {
            await _client.RemoveWatchesAsync(Root, AddWatchMode.PersistentRecursive, _watcher);
        }
        catch (Exception ex) when (ex is ZooKeeperException or ObjectDisposedException)
        {
            // The watch went with the session or the client: nothing is left to remove.
        }

        _stop.Dispose();
    }

    private static bool IsRetryable(ZooKeeperException exception) => exception.IsTransient || exception is SessionExpiredException;

    private void OnConnectionStateChanged(ConnectionStateChange change)
    {
        switch (change.State)
        {
            case ConnectionState.Connected:
                _work.Writer.TryWrite(change.IsNewSession ? FollowerWork.NewSession : FollowerWork.Reconnected);
                break;
            case ConnectionState.Disconnected:
            case ConnectionState.Expired:
                _work.Writer.TryWrite(FollowerWork.Disconnected);
                break;
            default:
                break;
        }
    }

    private Task OnWatchEvent(WatchedEvent watchedEvent)
    {
        if (watchedEvent.Type is EventType.NodeCreated or EventType.NodeDataChanged or EventType.NodeDeleted && watchedEvent.Path is { } path)
        {
            _work.Writer.TryWrite(new FollowerWork(FollowerWorkKind.NodeChanged, path));
        }
        else if (watchedEvent is { Type: EventType.None, State: KeeperState.Expired })
        {
            _work.Writer.TryWrite(FollowerWork.WatchLost);
        }

        return Task.CompletedTask;
    }

    private async Task LoopAsync()
    {
        var token = _stop.Token;
        var failures = 0;
        var batch = new List<FollowerWork>();
        try
        {
            while (await _work.Reader.WaitToReadAsync(token))
            {
                batch.Clear();
                while (batch.Count < MaxBatch && _work.Reader.TryRead(out var work))
                {
                    batch.Add(work);
                }

                try
                {
                    await ProcessAsync(batch, token);
                    failures = 0;
                }
                catch (Exception ex) when (!token.IsCancellationRequested)
                {
                    // Whatever failed, what was missed is unknown: keep everything as it is (routes stay) and
                    // re-read the whole subtree, now if connected (with backoff) or at the next reconnect.
                    failures++;
                    _resyncPending = true;
                    LogResyncScheduled(ex, Root, failures);
                    if (_client.State == ConnectionState.Connected)
                    {
                        await Backoff.Default.WaitAsync(failures, _client.Options.TimeProvider, token);
                        _work.Writer.TryWrite(FollowerWork.Resync);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
    }

    private async Task ProcessAsync(List<FollowerWork> batch, CancellationToken cancellationToken)
    {
        var resync = false;
        var changed = new List<string>();
        foreach (var work in batch)
        {
            switch (work.Kind)
            {
                case FollowerWorkKind.NodeChanged when DepthOf(work.Path!) == _depth:
                    changed.Add(work.Path!);
                    break;
                case FollowerWorkKind.Disconnected:
                    _resyncPending = true;
                    resync = false;
                    break;
                case FollowerWorkKind.WatchLost:
                    _watchLost = true;
                    _resyncPending = true;
                    break;
                case FollowerWorkKind.NewSession:
                    _watchLost = true;
                    resync = true;
                    break;
                case FollowerWorkKind.Reconnected:
                case FollowerWorkKind.Resync:
                    resync = true;
                    break;
                default:
                    break;
            }
        }

        if (resync)
        {
            if (_watchLost)
            {
                // A new session has none of the old one's watches.
                await _client.AddWatchAsync(Root, AddWatchMode.PersistentRecursive, _watcher, cancellationToken);
                _watchLost = false;
            }

            // The whole re-read covers every event of the batch.
            Resyncs++;
            await ResyncAsync(cancellationToken);
        }
        else if (changed.Count > 0 && !_resyncPending)
        {
            await RefreshAsync(changed, cancellationToken);
        }
    }

    /// <summary>How many levels below the root <paramref name="path"/> is (0 for the root, -1 outside it).</summary>
    private int DepthOf(string path)
    {
        if (path.Length == Root.Length)
        {
            return path == Root ? 0 : -1;
        }

        if (!path.StartsWith(Root, StringComparison.Ordinal) || path[Root.Length] != '/')
        {
            return -1;
        }

        return path.AsSpan(Root.Length).Count('/');
    }

    private FollowedChange ChangeOf(string path, byte[]? data)
    {
        var relative = path[(Root.Length + 1)..];
        var slash = relative.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? new FollowedChange(path, string.Empty, relative, data) : new FollowedChange(path, relative[..slash], relative[(slash + 1)..], data);
    }

    private void Publish(List<FollowedChange> changes)
    {
        if (changes.Count > 0)
        {
            Changed?.Invoke(changes);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Following {Root}: starting failed (attempt {Attempt}), retrying")]
    private partial void LogStartRetry(Exception exception, string root, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Following {Root}: a read failed (failure {Failures}); routes stay as they are until the subtree is re-read")]
    private partial void LogResyncScheduled(Exception exception, string root, int failures);
}
