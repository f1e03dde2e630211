using System.Text.Json;
using Cloud.Proxy.Routing;
using Cloud.Shared.Allocators;
using Cloud.Shared.Coordination;
using Cloud.Shared.Hosting;
using Cloud.Shared.Routing;
using Cloud.Shared.Serialization;
using Cloud.ZooKeeper;
using Cloud.ZooKeeper.Recipes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cloud.Proxy.Feed;

/// <summary>
/// Feeds <see cref="RoutingState"/> from ZooKeeper: live allocators, the routing nodes, every
/// cluster's instance status nodes and overrides. Nodes that don't parse are reported and ignored, so
/// the last good value stays in force. While ZooKeeper is unreachable nothing changes: the proxy keeps
/// routing with what it last read.
/// </summary>
internal sealed partial class ZooKeeperRoutingFeed : BackgroundService
{
    private readonly ZooKeeperConnection _connection;
    private readonly RoutingState _state;
    private readonly TimeProvider _time;
    private readonly ILogger<ZooKeeperRoutingFeed> _logger;
    private readonly TimeSpan _expiryCheck;
    private readonly TimeSpan _allocatorGrace;
    private readonly Lock _allocatorLock = new();
    private HashSet<string> _liveAllocators = new(StringComparer.Ordinal);
    private DateTimeOffset _reconnectedAt = DateTimeOffset.MinValue;
    private ITimer? _graceTimer;

    public ZooKeeperRoutingFeed(ZooKeeperConnection connection, RoutingState state, TimeProvider time, IOptions<ProxyOptions> options, ILogger<ZooKeeperRoutingFeed> logger)
    {
        _connection = connection;
        _state = state;
        _time = time;
        _logger = logger;
        _expiryCheck = TimeSpan.FromMilliseconds(options.Value.ExpiryCheckMilliseconds);
        _allocatorGrace = TimeSpan.FromSeconds(options.Value.AllocatorReconnectGraceSeconds);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var client = await _connection.GetClientAsync(stoppingToken);
            await using var allocators = new ChildrenCache(client, CloudPaths.Allocators, _logger, createIfMissing: false);
            await using var routing = new ChildrenCache(client, CloudPaths.Routing, _logger, createIfMissing: false);
            await using var instances = new ClusterTree(client, CloudPaths.Instances, _logger);
            await using var overrides = new ClusterTree(client, CloudPaths.RoutingOverrides, _logger);

            client.ConnectionStateChanged += OnConnectionStateChanged;
            allocators.Changed += change => OnAllocatorsChanged(change.Snapshot.Children.Keys, allocators);
            routing.Changed += OnRoutingChanged;
            instances.ChildChanged += OnInstanceChanged;
            overrides.ChildChanged += OnOverrideChanged;

            await allocators.StartAsync(stoppingToken);
            await Task.WhenAll(routing.StartAsync(stoppingToken), instances.StartAsync(stoppingToken), overrides.StartAsync(stoppingToken));
            _state.MarkLoaded();
            LogLoaded(instances.ClusterCount, routing.Current.Children.Count, overrides.ClusterCount);

            using var timer = new PeriodicTimer(_expiryCheck, _time);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                _state.ExpireOverrides();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            _graceTimer?.Dispose();
        }
    }

    private void OnConnectionStateChanged(ConnectionStateChange change)
    {
        if (change.State == ConnectionState.Connected)
        {
            lock (_allocatorLock)
            {
                _reconnectedAt = _time.GetUtcNow();
            }
        }
    }

    /// <summary>
    /// Allocator liveness. Right after our own reconnect, allocators whose sessions expired during the
    /// same outage have not re-registered yet: their nodes are missing though their instances serve.
    /// Within the grace window a vanished allocator stays live (passive health still catches a dead
    /// instance at its first failed connection) and the listing is applied again when the window ends.
    /// </summary>
    private void OnAllocatorsChanged(IEnumerable<string> listed, ChildrenCache allocators)
    {
        lock (_allocatorLock)
        {
            var live = listed.ToHashSet(StringComparer.Ordinal);
            var graceEnds = _reconnectedAt + _allocatorGrace;
            var now = _time.GetUtcNow();
            if (now < graceEnds && !_liveAllocators.IsSubsetOf(live))
            {
                var vanished = _liveAllocators.Count(a => !live.Contains(a));
                var remaining = (graceEnds - now).TotalSeconds;
                LogAllocatorsDeferred(vanished, remaining);
                live.UnionWith(_liveAllocators);
                _graceTimer?.Dispose();
                _graceTimer = _time.CreateTimer(_ => OnAllocatorsChanged(allocators.Current.Children.Keys, allocators), null, graceEnds - now + TimeSpan.FromMilliseconds(1), Timeout.InfiniteTimeSpan);
            }

            _liveAllocators = live;
            _state.SetLiveAllocators(live);
        }
    }

    private void OnRoutingChanged(ChildrenChange change)
    {
        foreach (var clusterId in change.Added.Concat(change.Updated))
        {
            if (change.Snapshot.Children.TryGetValue(clusterId, out var child) && TryParse<RoutingTable>(child.Data, CloudPaths.RoutingOf(clusterId), out var table))
            {
                _state.SetTable(clusterId, table);
            }
        }

        foreach (var clusterId in change.Removed)
        {
            _state.SetTable(clusterId, null);
        }
    }

    private void OnInstanceChanged(string clusterId, string instanceName, byte[]? data)
    {
        if (data is null)
        {
            _state.SetInstance(clusterId, instanceName, null);
        }
        else if (TryParse<InstanceStatus>(data, CloudPaths.Instance(clusterId, instanceName), out var status))
        {
            _state.SetInstance(clusterId, instanceName, status);
        }
    }

    private void OnOverrideChanged(string clusterId, string overrideId, byte[]? data)
    {
        if (data is null)
        {
            _state.SetOverride(clusterId, overrideId, null);
        }
        else if (TryParse<RoutingOverride>(data, CloudPaths.Override(clusterId, overrideId), out var routingOverride))
        {
            if (!RoutingOverrideActions.All.Contains(routingOverride.Action))
            {
                LogInvalidNode(CloudPaths.Override(clusterId, overrideId), $"unknown action '{routingOverride.Action}' (expected {string.Join(", ", RoutingOverrideActions.All)})");
                return;
            }

            _state.SetOverride(clusterId, overrideId, routingOverride);
        }
    }

    private bool TryParse<T>(byte[] data, string path, out T value)
        where T : class
    {
        try
        {
            value = CloudJson.Deserialize<T>(data);
            return true;
        }
        catch (JsonException ex)
        {
            LogInvalidNode(path, ex.Message);
            value = null!;
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Just reconnected: {Count} vanished allocators stay routable for {Seconds:F1} s while they re-register")]
    private partial void LogAllocatorsDeferred(int count, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Routes loaded: {Clusters} clusters with instances, {Tables} routing nodes, {Overridden} clusters with overrides")]
    private partial void LogLoaded(int clusters, int tables, int overridden);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignoring {Path}: {Reason}; the last good value stays in force")]
    private partial void LogInvalidNode(string path, string reason);
}
