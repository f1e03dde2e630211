using System.Collections.Immutable;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cloud.ZooKeeper.Recipes;

/// <summary>
/// Caches the children of a znode and each child's data, kept current by child and data watches. All
/// updates run on one loop, so snapshots are consistent and published in order. After a reconnect or
/// a new session it re-reads everything and only then publishes a snapshot with IsConnected = true,
/// with the diff against what it had before, so nothing that changed while away is missed.
/// </summary>
public sealed partial class ChildrenCache : IAsyncDisposable
{
    private readonly ZooKeeperClient _client;
    private readonly ILogger _logger;
    private readonly Channel<CacheWork> _work = Channel.CreateUnbounded<CacheWork>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly Watcher _childrenWatcher;
    private readonly Watcher _dataWatcher;
    private readonly SnapshotFeed<ChildrenSnapshot> _feed = new(ChildrenSnapshot.Empty, latestOnly: false);
    private Task _loop = Task.CompletedTask;
    private readonly bool _createIfMissing;
    private bool _resyncPending;

    /// <param name="createIfMissing">
    /// Create <paramref name="path"/> when it is missing (default). Without it, a missing path is published
    /// as <see cref="ChildrenSnapshot.PathExists"/> = false and watched until it appears.
    /// </param>
    public ChildrenCache(ZooKeeperClient client, string path, ILogger? logger = null, bool createIfMissing = true)
    {
        _createIfMissing = createIfMissing;
        ArgumentNullException.ThrowIfNull(client);
        PathValidator.Validate(path);
        _client = client;
        Path = path;
        _logger = logger ?? NullLogger.Instance;
        _childrenWatcher = Watcher.Create(OnChildrenEvent);
        _dataWatcher = Watcher.Create(OnDataEvent);
    }

    public string Path { get; }

    public ChildrenSnapshot Current => _feed.Current;

    /// <summary>Raised on the cache loop after every snapshot that added, updated or removed children.</summary>
    public event Action<ChildrenChange>? Changed;

    /// <summary>Creates the path if missing (unless told not to) and loads every child before returning.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        _client.ConnectionStateChanged += OnConnectionStateChanged;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await ResyncAsync(cancellationToken).ConfigureAwait(false);
                break;
            }
            catch (Exception ex) when (RetryableErrors.IsRetryable(ex) && !cancellationToken.IsCancellationRequested)
            {
                await Backoff.Default.WaitAsync(attempt + 1, _client.Options.TimeProvider, cancellationToken).ConfigureAwait(false);
            }
        }

        _loop = Task.Run(LoopAsync, CancellationToken.None);
    }

    /// <summary>Yields the current snapshot, then every new one until cancelled or the cache is disposed.</summary>
    public IAsyncEnumerable<ChildrenSnapshot> WatchAsync(CancellationToken cancellationToken = default) =>
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
        _feed.Complete();

        _stop.Dispose();
    }

    private void OnConnectionStateChanged(ConnectionStateChange change)
    {
        switch (change.State)
        {
            case ConnectionState.Connected:
                _work.Writer.TryWrite(CacheWork.Resync);
                break;
            case ConnectionState.Disconnected:
            case ConnectionState.Expired:
                _work.Writer.TryWrite(CacheWork.Disconnected);
                break;
            default:
                break;
        }
    }

    private Task OnChildrenEvent(WatchedEvent watchedEvent)
    {
        if (watchedEvent.Type == EventType.NodeChildrenChanged)
        {
            _work.Writer.TryWrite(CacheWork.Children);
        }
        else if (watchedEvent.Type is EventType.NodeDeleted or EventType.NodeCreated)
        {
            _work.Writer.TryWrite(CacheWork.Resync);
        }

        return Task.CompletedTask;
    }

    private Task OnDataEvent(WatchedEvent watchedEvent)
    {
        if (watchedEvent.Type is EventType.NodeDataChanged or EventType.NodeDeleted or EventType.NodeCreated && watchedEvent.Path is { } path)
        {
            _work.Writer.TryWrite(new CacheWork(CacheWorkKind.Child, ZPaths.Name(path)));
        }

        return Task.CompletedTask;
    }

    private async Task LoopAsync()
    {
        var token = _stop.Token;
        var failures = 0;
        try
        {
            await foreach (var work in _work.Reader.ReadAllAsync(token).ConfigureAwait(false))
            {
                try
                {
                    await ProcessAsync(work, token).ConfigureAwait(false);
                    failures = 0;
                }
                catch (Exception ex) when (!token.IsCancellationRequested)
                {
                    // Level-based recovery: whatever failed (connection trouble, NoAuth on one child, a bug),
                    // say the view is not authoritative, wait, and re-read everything. Never stop following.
                    failures++;
                    LogResyncScheduled(_logger, Path, ex.Message);
                    Publish(Current.Children, isConnected: false, pathExists: Current.PathExists);
                    _resyncPending = true;
                    if (_client.State == ConnectionState.Connected)
                    {
                        await Backoff.Default.WaitAsync(failures, _client.Options.TimeProvider, token).ConfigureAwait(false);
                        _work.Writer.TryWrite(CacheWork.Resync);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
    }

    private async Task ProcessAsync(CacheWork work, CancellationToken cancellationToken)
    {
        switch (work.Kind)
        {
            case CacheWorkKind.Disconnected:
                Publish(Current.Children, isConnected: false, pathExists: Current.PathExists);
                _resyncPending = true;
                break;
            case CacheWorkKind.Resync:
                await ResyncAsync(cancellationToken).ConfigureAwait(false);
                break;
            case CacheWorkKind.Children when !_resyncPending:
                await RefreshChildrenAsync(cancellationToken).ConfigureAwait(false);
                break;
            case CacheWorkKind.Child when !_resyncPending && work.Name is { } name:
                await RefreshChildAsync(name, cancellationToken).ConfigureAwait(false);
                break;
            default:
                break;
        }
    }

    private async Task ResyncAsync(CancellationToken cancellationToken)
    {
        if (_createIfMissing)
        {
            await _client.CreateRecursiveAsync(Path, null, cancellationToken).ConfigureAwait(false);
        }

        ChildrenResult listing;
        try
        {
            listing = await _client.GetChildrenAsync(Path, _childrenWatcher, cancellationToken).ConfigureAwait(false);
        }
        catch (NoNodeException) when (!_createIfMissing)
        {
            await PublishMissingPathAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        var reads = listing.Children.Select(name => ReadChildAsync(name, cancellationToken)).ToArray();
        var children = await Task.WhenAll(reads).ConfigureAwait(false);
        var builder = ImmutableDictionary.CreateBuilder<string, ChildData>(StringComparer.Ordinal);
        foreach (var child in children)
        {
            if (child is not null)
            {
                builder[child.Name] = child;
            }
        }

        _resyncPending = false;
        Publish(builder.ToImmutable(), isConnected: _client.State == ConnectionState.Connected);
        LogSynced(_logger, Path, builder.Count);
    }

    /// <summary>Publishes "no such path" and watches for it to be created (which triggers a resync).</summary>
    private async Task PublishMissingPathAsync(CancellationToken cancellationToken)
    {
        if (await _client.ExistsAsync(Path, _childrenWatcher, cancellationToken).ConfigureAwait(false) is not null)
        {
            // Created between the two reads: read it properly.
            _work.Writer.TryWrite(CacheWork.Resync);
            return;
        }

        _resyncPending = false;
        Publish(ImmutableDictionary<string, ChildData>.Empty.WithComparers(StringComparer.Ordinal), isConnected: _client.State == ConnectionState.Connected, pathExists: false);
        LogPathMissing(_logger, Path);
    }

    private async Task RefreshChildrenAsync(CancellationToken cancellationToken)
    {
        ChildrenResult listing;
        try
        {
            listing = await _client.GetChildrenAsync(Path, _childrenWatcher, cancellationToken).ConfigureAwait(false);
        }
        catch (NoNodeException)
        {
            // The path itself went away: start over from the top.
            await ResyncAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        var current = Current.Children;
        var names = listing.Children.ToHashSet(StringComparer.Ordinal);
        var added = await Task.WhenAll(listing.Children.Where(n => !current.ContainsKey(n)).Select(n => ReadChildAsync(n, cancellationToken))).ConfigureAwait(false);
        var next = current.RemoveRange(current.Keys.Where(n => !names.Contains(n)));
        foreach (var child in added)
        {
            if (child is not null)
            {
                next = next.SetItem(child.Name, child);
            }
        }

        Publish(next, isConnected: true);
    }

    private async Task RefreshChildAsync(string name, CancellationToken cancellationToken)
    {
        var child = await ReadChildAsync(name, cancellationToken).ConfigureAwait(false);
        var current = Current.Children;
        Publish(child is null ? current.Remove(name) : current.SetItem(name, child), isConnected: true);
    }

    private async Task<ChildData?> ReadChildAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var result = await _client.GetDataAsync(ZPaths.Combine(Path, name), _dataWatcher, cancellationToken).ConfigureAwait(false);
            return new ChildData(name, result.Data, result.Stat);
        }
        catch (NoNodeException)
        {
            return null;
        }
    }

    private void Publish(ImmutableDictionary<string, ChildData> children, bool isConnected, bool pathExists = true)
    {
        var previous = Current;
        var sameState = isConnected == previous.IsConnected && pathExists == previous.PathExists;
        if (ReferenceEquals(children, previous.Children) && sameState)
        {
            return;
        }

        var change = ChildrenDiff.Compute(previous.Children, children, previous);
        if (change.IsEmpty && sameState)
        {
            return;
        }

        var snapshot = new ChildrenSnapshot(children, previous.Version + 1, isConnected, pathExists);
        _feed.Publish(snapshot);

        if (!change.IsEmpty)
        {
            LogChanged(_logger, Path, change.Added.Length, change.Updated.Length, change.Removed.Length, snapshot.Version);
            try
            {
                Changed?.Invoke(change with { Snapshot = snapshot });
            }
            catch (Exception ex)
            {
                LogSubscriberFailed(_logger, Path, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cache of {Path}: the path does not exist; watching for it")]
    private static partial void LogPathMissing(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Cache of {Path} synced: {Count} children")]
    private static partial void LogSynced(ILogger logger, string path, int count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Cache of {Path} changed: {Added} added, {Updated} updated, {Removed} removed (version {Version})")]
    private static partial void LogChanged(ILogger logger, string path, int added, int updated, int removed, long version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cache of {Path} will re-sync: {Reason}")]
    private static partial void LogResyncScheduled(ILogger logger, string path, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A subscriber of the cache of {Path} threw")]
    private static partial void LogSubscriberFailed(ILogger logger, string path, Exception exception);
}
