using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cloud.ZooKeeper.Recipes;

/// <summary>
/// Keeps an immutable snapshot of a whole subtree (path → data, stat, children) current with ONE persistent
/// recursive watch, however many nodes it holds. Events are applied on one loop, so snapshots are published
/// in order. After every reconnect or new session (when changes may have been missed) it re-reads the
/// whole subtree and only then publishes an authoritative snapshot again; while disconnected, or after a
/// failed read (say NoAuth on one node) until a retry with backoff succeeds, snapshots say
/// <see cref="TreeSnapshot.IsAuthoritative"/> = false. It never creates its root: a missing root is an empty snapshot.
/// </summary>
public sealed partial class TreeCache : IAsyncDisposable
{
    private readonly ZooKeeperClient _client;
    private readonly ILogger _logger;
    private readonly Channel<TreeWork> _work = Channel.CreateUnbounded<TreeWork>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly Watcher _watcher;
    private readonly SnapshotFeed<TreeSnapshot> _feed;
    private Task _loop = Task.CompletedTask;
    private bool _resyncPending = true;
    private bool _watchLost;

    public TreeCache(ZooKeeperClient client, string root, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        PathValidator.Validate(root);
        _client = client;
        Root = root;
        _logger = logger ?? NullLogger.Instance;
        _feed = new SnapshotFeed<TreeSnapshot>(TreeSnapshot.Empty(root), latestOnly: true);
        _watcher = Watcher.Create(OnWatchEvent);
    }

    public string Root { get; }

    /// <summary>The latest snapshot.</summary>
    public TreeSnapshot Current => _feed.Current;

    /// <summary>
    /// Sets the recursive watch and reads the whole subtree before returning (retrying connection trouble
    /// with backoff); throws on an error a retry cannot fix, such as NoAuth.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        _client.ConnectionStateChanged += OnConnectionStateChanged;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await _client.AddWatchAsync(Root, AddWatchMode.PersistentRecursive, _watcher, cancellationToken).ConfigureAwait(false);
                await ResyncAsync(cancellationToken).ConfigureAwait(false);
                break;
            }
            catch (Exception ex) when (RetryableErrors.IsRetryable(ex) && !cancellationToken.IsCancellationRequested)
            {
                await Backoff.Default.WaitAsync(attempt, _client.Options.TimeProvider, cancellationToken).ConfigureAwait(false);
            }
        }

        _loop = Task.Run(LoopAsync, CancellationToken.None);
    }

    /// <summary>
    /// Yields the current snapshot, then newer ones until cancelled or the cache is disposed. A slow reader
    /// skips intermediate snapshots but always gets the latest: each is the whole state, not a delta.
    /// </summary>
    public IAsyncEnumerable<TreeSnapshot> WatchAsync(CancellationToken cancellationToken = default) =>
        _feed.WatchAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        _client.ConnectionStateChanged -= OnConnectionStateChanged;
        await _stop.CancelAsync().ConfigureAwait(false);
        _work.Writer.TryComplete();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        try
        {
            await _client.RemoveWatchesAsync(Root, AddWatchMode.PersistentRecursive, _watcher).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ZooKeeperException or ObjectDisposedException)
        {
            // The watch went with the session or the client; nothing is left to remove.
        }

        _feed.Complete();

        _stop.Dispose();
    }

    private void OnConnectionStateChanged(ConnectionStateChange change)
    {
        switch (change.State)
        {
            case ConnectionState.Connected:
                _work.Writer.TryWrite(change.IsNewSession ? TreeWork.NewSession : TreeWork.Reconnected);
                break;
            case ConnectionState.Disconnected:
            case ConnectionState.Expired:
                _work.Writer.TryWrite(TreeWork.Disconnected);
                break;
            default:
                break;
        }
    }

    private Task OnWatchEvent(WatchedEvent watchedEvent)
    {
        if (watchedEvent.Type is EventType.NodeCreated or EventType.NodeDataChanged or EventType.NodeDeleted && watchedEvent.Path is { } path)
        {
            _work.Writer.TryWrite(new TreeWork(TreeWorkKind.NodeChanged, path));
        }
        else if (watchedEvent is { Type: EventType.None, State: KeeperState.Expired })
        {
            _work.Writer.TryWrite(TreeWork.WatchLost);
        }

        return Task.CompletedTask;
    }

    private async Task LoopAsync()
    {
        var token = _stop.Token;
        var failures = 0;
        var batch = new List<TreeWork>();
        try
        {
            while (await _work.Reader.WaitToReadAsync(token).ConfigureAwait(false))
            {
                batch.Clear();
                while (batch.Count < MaxBatch && _work.Reader.TryRead(out var work))
                {
                    batch.Add(work);
                }

                try
                {
                    await ProcessAsync(batch, token).ConfigureAwait(false);
                    failures = 0;
                }
                catch (Exception ex) when (!token.IsCancellationRequested)
                {
                    // Whatever failed (connection trouble, NoAuth on one node, a bug), the view is no longer
                    // known to be complete: say so, wait, and re-read everything. Never stop following.
                    failures++;
                    LogResyncScheduled(_logger, Root, failures, ex);
                    _resyncPending = true;
                    Publish(Current.Nodes);
                    if (_client.State == ConnectionState.Connected)
                    {
                        await Backoff.Default.WaitAsync(failures, _client.Options.TimeProvider, token).ConfigureAwait(false);
                        _work.Writer.TryWrite(TreeWork.Resync);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
    }

    private async Task ProcessAsync(List<TreeWork> batch, CancellationToken cancellationToken)
    {
        var resync = false;
        var changed = new List<string>();
        foreach (var work in batch)
        {
            switch (work.Kind)
            {
                case TreeWorkKind.NodeChanged:
                    changed.Add(work.Path!);
                    break;
                case TreeWorkKind.Disconnected:
                    _resyncPending = true;
                    resync = false;
                    break;
                case TreeWorkKind.WatchLost:
                    _watchLost = true;
                    _resyncPending = true;
                    break;
                case TreeWorkKind.NewSession:
                    _watchLost = true;
                    resync = true;
                    break;
                case TreeWorkKind.Reconnected:
                case TreeWorkKind.Resync:
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
                await _client.AddWatchAsync(Root, AddWatchMode.PersistentRecursive, _watcher, cancellationToken).ConfigureAwait(false);
                _watchLost = false;
            }

            // Reads that follow the events cover them: the resync alone is enough.
            await ResyncAsync(cancellationToken).ConfigureAwait(false);
        }
        else if (changed.Count > 0 && !_resyncPending)
        {
            await RefreshAsync(changed, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            Publish(Current.Nodes);
        }
    }

    private void Publish(System.Collections.Immutable.ImmutableDictionary<string, TreeNode> nodes)
    {
        var previous = Current;
        var authoritative = !_resyncPending && _client.State == ConnectionState.Connected;
        if (ReferenceEquals(nodes, previous.Nodes) && authoritative == previous.IsAuthoritative)
        {
            return;
        }

        var snapshot = new TreeSnapshot(Root, nodes, previous.Version + 1, authoritative);
        _feed.Publish(snapshot);

        LogPublished(_logger, Root, nodes.Count, snapshot.Version, authoritative);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Tree cache of {Root}: {Count} nodes, version {Version}, authoritative {Authoritative}")]
    private static partial void LogPublished(ILogger logger, string root, int count, long version, bool authoritative);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Tree cache of {Root} is not authoritative and will re-read the subtree (failure {Failures})")]
    private static partial void LogResyncScheduled(ILogger logger, string root, int failures, Exception exception);
}
