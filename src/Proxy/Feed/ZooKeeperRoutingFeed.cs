using System.Text.Json;
using Cloud.Proxy.Routing;
using Cloud.Shared.Allocators;
using Cloud.Shared.Coordination;
using Cloud.Shared.Hosting;
using Cloud.Shared.Routing;
using Cloud.Shared.Serialization;
using Cloud.ZooKeeper;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cloud.Proxy.Feed;

/// <summary>
/// Feeds <see cref="RoutingState"/> from ZooKeeper with four persistent recursive watches (one
/// <see cref="SubtreeFollower"/> each): live allocators, the routing nodes, every cluster's instance status nodes
/// and overrides. Each event is applied on its own, so one change recomputes only the clusters it touches. Nodes
/// that don't parse are reported and ignored, so the last good value stays in force. While ZooKeeper is
/// unreachable nothing changes: the proxy keeps routing with what it last read, and re-reads everything once back.
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
    private readonly HashSet<string> _listedAllocators = new(StringComparer.Ordinal);
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
            await using var allocators = new SubtreeFollower(client, CloudPaths.Allocators, depth: 1, _logger);
            await using var routing = new SubtreeFollower(client, CloudPaths.Routing, depth: 1, _logger);
            await using var instances = new SubtreeFollower(client, CloudPaths.Instances, depth: 2, _logger);
            await using var overrides = new SubtreeFollower(client, CloudPaths.RoutingOverrides, depth: 2, _logger);

            client.ConnectionStateChanged += OnConnectionStateChanged;
            allocators.Changed += OnAllocatorsChanged;
            routing.Changed += OnRoutingChanged;
            instances.Changed += OnInstancesChanged;
            overrides.Changed += OnOverridesChanged;

            // Allocators first: the instances read next find their allocators' liveness already known.
            await allocators.StartAsync(stoppingToken);
            await Task.WhenAll(routing.StartAsync(stoppingToken), instances.StartAsync(stoppingToken), overrides.StartAsync(stoppingToken));
            _state.MarkLoaded();
            LogLoaded(instances.Count, routing.Count, overrides.Count, allocators.Count);

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
            lock (_allocatorLock)
            {
                _graceTimer?.Dispose();
            }
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

    private void OnAllocatorsChanged(IReadOnlyList<FollowedChange> changes)
    {
        lock (_allocatorLock)
        {
            foreach (var change in changes)
            {
                if (change.Data is null)
                {
                    _listedAllocators.Remove(change.Name);
                }
                else
                {
                    _listedAllocators.Add(change.Name);
                }
            }

            ApplyAllocators();
        }
    }

    private void OnGraceEnded()
    {
        lock (_allocatorLock)
        {
            ApplyAllocators();
        }
    }

    /// <summary>
    /// Allocator liveness. Right after our own reconnect, allocators whose sessions expired during the
    /// same outage have not re-registered yet: their nodes are missing though their instances serve.
    /// Within the grace window a vanished allocator stays live (passive health still catches a dead
    /// instance at its first failed connection) and the listing is applied again when the window ends.
    /// </summary>
    private void ApplyAllocators()
    {
        var live = new HashSet<string>(_listedAllocators, StringComparer.Ordinal);
        var graceEnds = _reconnectedAt + _allocatorGrace;
        var now = _time.GetUtcNow();
        if (now < graceEnds && !_liveAllocators.IsSubsetOf(live))
        {
            var vanished = _liveAllocators.Count(a => !live.Contains(a));
            LogAllocatorsDeferred(vanished, (graceEnds - now).TotalSeconds);
            live.UnionWith(_liveAllocators);
            _graceTimer?.Dispose();
            _graceTimer = _time.CreateTimer(_ => OnGraceEnded(), null, graceEnds - now + TimeSpan.FromMilliseconds(1), Timeout.InfiniteTimeSpan);
        }

        _liveAllocators = live;
        _state.SetLiveAllocators(live);
    }

    private void OnRoutingChanged(IReadOnlyList<FollowedChange> changes)
    {
        foreach (var change in changes)
        {
            if (change.Data is null)
            {
                _state.SetTable(change.Name, null);
            }
            else if (TryParse<RoutingTable>(change.Data, change.Path, out var table))
            {
                _state.SetTable(change.Name, table);
            }
        }
    }

    private void OnInstancesChanged(IReadOnlyList<FollowedChange> changes)
    {
        foreach (var change in changes)
        {
            if (change.Data is null)
            {
                _state.SetInstance(change.Parent, change.Name, null);
            }
            else if (TryParse<InstanceStatus>(change.Data, change.Path, out var status))
            {
                _state.SetInstance(change.Parent, change.Name, status);
            }
        }
    }

    private void OnOverridesChanged(IReadOnlyList<FollowedChange> changes)
    {
        foreach (var change in changes)
        {
            if (change.Data is null)
            {
                _state.SetOverride(change.Parent, change.Name, null);
            }
            else if (TryParse<RoutingOverride>(change.Data, change.Path, out var routingOverride))
            {
                if (!RoutingOverrideActions.All.Contains(routingOverride.Action))
                {
                    LogInvalidNode(change.Path, $"unknown action '{routingOverride.Action}' (expected {string.Join(", ", RoutingOverrideActions.All)})");
                    continue;
                }

                _state.SetOverride(change.Parent, change.Name, routingOverride);
            }
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Routes loaded: {Instances} instance nodes, {Tables} routing nodes, {Overrides} overrides, {Allocators} live allocators")]
    private partial void LogLoaded(int instances, int tables, int overrides, int allocators);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignoring {Path}: {Reason}; the last good value stays in force")]
    private partial void LogInvalidNode(string path, string reason);
}
