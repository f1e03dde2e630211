using System.Threading.Channels;
using Cloud.ZooKeeper;
using Cloud.ZooKeeper.Recipes;
using Microsoft.Extensions.Logging;

namespace Cloud.Proxy.Feed;

/// <summary>
/// Follows a two-level tree <c>root/&lt;cluster_id&gt;/&lt;child&gt;</c> (instances, overrides): one
/// <see cref="ChildrenCache"/> on the root and one per cluster, started and disposed as clusters come
/// and go. Each child's data goes to <see cref="ChildChanged"/> (null when it is gone), one cluster
/// at a time, so a change in one cluster never touches the others. The caches keep their last data
/// while disconnected and report only real differences after re-reading, so a watch firing on a lost
/// session never drops anything.
/// </summary>
internal sealed partial class ClusterTree : IAsyncDisposable
{
    private const int StartConcurrency = 32;

    private readonly ZooKeeperClient _client;
    private readonly ILogger _logger;
    private readonly ChildrenCache _root;
    private readonly Channel<bool> _rootChanged = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Dictionary<string, ChildrenCache> _clusters = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    public ClusterTree(ZooKeeperClient client, string root, ILogger logger)
    {
        _client = client;
        _logger = logger;
        _root = new ChildrenCache(client, root, logger, createIfMissing: false);
        _root.Changed += _ => _rootChanged.Writer.TryWrite(true);
    }

    /// <summary>Raised with (cluster id, child name, data or null when removed).</summary>
    public event Action<string, string, byte[]?>? ChildChanged;

    public string Root => _root.Path;

    public int ClusterCount
    {
        get
        {
            lock (_clusters)
            {
                return _clusters.Count;
            }
        }
    }

    /// <summary>Reads the whole tree before returning, then follows it.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _root.StartAsync(cancellationToken);
        await ReconcileAsync(cancellationToken);
        _loop = Task.Run(LoopAsync, CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _rootChanged.Writer.TryComplete();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _root.DisposeAsync();
        List<ChildrenCache> caches;
        lock (_clusters)
        {
            caches = [.. _clusters.Values];
            _clusters.Clear();
        }

        foreach (var cache in caches)
        {
            await cache.DisposeAsync();
        }

        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        try
        {
            await foreach (var _ in _rootChanged.Reader.ReadAllAsync(_stop.Token))
            {
                try
                {
                    await ReconcileAsync(_stop.Token);
                }
                catch (ZooKeeperException ex) when (!_stop.IsCancellationRequested)
                {
                    // The root cache re-reads on reconnect and signals again.
                    LogReconcileFailed(ex, Root);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>Starts a cache for every cluster under the root that has none, and drops the ones gone.</summary>
    private async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        var wanted = _root.Current.Children.Keys.ToHashSet(StringComparer.Ordinal);
        List<string> added;
        List<(string Id, ChildrenCache Cache)> removed;
        lock (_clusters)
        {
            added = [.. wanted.Where(id => !_clusters.ContainsKey(id))];
            removed = [.. _clusters.Where(c => !wanted.Contains(c.Key)).Select(c => (c.Key, c.Value))];
            foreach (var (id, _) in removed)
            {
                _clusters.Remove(id);
            }
        }

        foreach (var (id, cache) in removed)
        {
            await cache.DisposeAsync();
            foreach (var child in cache.Current.Children.Keys)
            {
                ChildChanged?.Invoke(id, child, null);
            }
        }

        await Parallel.ForEachAsync(added, new ParallelOptions { MaxDegreeOfParallelism = StartConcurrency, CancellationToken = cancellationToken }, StartClusterAsync);
    }

    private async ValueTask StartClusterAsync(string clusterId, CancellationToken cancellationToken)
    {
        var cache = new ChildrenCache(_client, Root + "/" + clusterId, _logger, createIfMissing: false);
        cache.Changed += change => Publish(clusterId, change);
        lock (_clusters)
        {
            _clusters[clusterId] = cache;
        }

        await cache.StartAsync(cancellationToken);
    }

    private void Publish(string clusterId, ChildrenChange change)
    {
        var children = change.Snapshot.Children;
        foreach (var name in change.Added.Concat(change.Updated))
        {
            if (children.TryGetValue(name, out var child))
            {
                ChildChanged?.Invoke(clusterId, name, child.Data);
            }
        }

        foreach (var name in change.Removed)
        {
            ChildChanged?.Invoke(clusterId, name, null);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Following {Root}: could not start the caches of new clusters yet")]
    private partial void LogReconcileFailed(Exception exception, string root);
}
