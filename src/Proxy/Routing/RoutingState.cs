using System.Collections.Immutable;
using Cloud.Proxy.Audit;
using Cloud.Proxy.Health;
using Cloud.Shared.Allocators;
using Cloud.Shared.Routing;
using Microsoft.Extensions.Options;

namespace Cloud.Proxy.Routing;

/// <summary>
/// The proxy's desired routing, fed by ZooKeeper one change at a time. Each change recomputes only the
/// clusters it touches (an instance: its cluster; an allocator's liveness: the clusters with instances
/// on it; an override's expiry: its cluster) and swaps their entries in the <see cref="RouteTable"/>.
/// Writers serialize on a lock; requests never take it.
/// </summary>
internal sealed class RoutingState
{
    private readonly Lock _lock = new();
    private readonly RouteTable _table;
    private readonly DestinationRegistry _registry;
    private readonly IOverrideAudit _audit;
    private readonly TimeProvider _time;
    private readonly string? _zone;
    private readonly string? _proxyId;
    private readonly Dictionary<string, ClusterInputs> _inputs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ImmutableArray<string>> _activeOverrides = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _clustersByAllocator = new(StringComparer.Ordinal);
    private readonly PriorityQueue<string, DateTimeOffset> _expiries = new();
    private HashSet<string> _liveAllocators = new(StringComparer.Ordinal);
    private volatile bool _loaded;

    public RoutingState(RouteTable table, DestinationRegistry registry, IOverrideAudit audit, TimeProvider time, IOptions<ProxyOptions> options)
    {
        _table = table;
        _registry = registry;
        _audit = audit;
        _time = time;
        _zone = options.Value.Zone;
        _proxyId = options.Value.ProxyId;
    }

    /// <summary>False until the first full read of ZooKeeper: until then no answer is authoritative.</summary>
    public bool IsLoaded => _loaded;

    public void MarkLoaded() => _loaded = true;

    public ClusterInputs? InputsOf(string clusterId)
    {
        lock (_lock)
        {
            return _inputs.GetValueOrDefault(clusterId);
        }
    }

    public void SetLiveAllocators(IEnumerable<string> allocatorIds)
    {
        lock (_lock)
        {
            var next = allocatorIds.ToHashSet(StringComparer.Ordinal);
            var changed = new HashSet<string>(next, StringComparer.Ordinal);
            changed.SymmetricExceptWith(_liveAllocators);
            _liveAllocators = next;
            var clusters = changed.SelectMany(a => _clustersByAllocator.GetValueOrDefault(a) ?? []).ToHashSet(StringComparer.Ordinal);
            foreach (var clusterId in clusters)
            {
                Recompute(clusterId);
            }
        }
    }

    public void SetInstance(string clusterId, string instanceName, InstanceStatus? status)
    {
        lock (_lock)
        {
            var inputs = Get(clusterId);
            if (inputs.Instances.TryGetValue(instanceName, out var previous))
            {
                Unindex(previous.AllocatorId, clusterId, inputs, instanceName);
            }

            var instances = status is null ? inputs.Instances.Remove(instanceName) : inputs.Instances.SetItem(instanceName, status);
            if (status is not null)
            {
                Index(status.AllocatorId, clusterId);
            }

            Put(inputs with { Instances = instances });
        }
    }

    public void SetTable(string clusterId, RoutingTable? table)
    {
        lock (_lock)
        {
            Put(Get(clusterId) with { Table = table });
        }
    }

    public void SetOverride(string clusterId, string overrideId, RoutingOverride? routingOverride)
    {
        lock (_lock)
        {
            var inputs = Get(clusterId);
            if (routingOverride is null && inputs.Overrides.TryGetValue(overrideId, out var removed) && _activeOverrides.GetValueOrDefault(clusterId, []).Contains(overrideId))
            {
                _audit.Record(Audit(OverrideAuditEvent.Removed, clusterId, overrideId, removed));
            }

            var overrides = routingOverride is null ? inputs.Overrides.Remove(overrideId) : inputs.Overrides.SetItem(overrideId, routingOverride);
            Put(inputs with { Overrides = overrides });
        }
    }

    /// <summary>Recomputes the clusters whose earliest override expiry has passed.</summary>
    public void ExpireOverrides()
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            var due = new HashSet<string>(StringComparer.Ordinal);
            while (_expiries.TryPeek(out var clusterId, out var when) && when <= now)
            {
                _expiries.Dequeue();
                due.Add(clusterId);
            }

            foreach (var clusterId in due)
            {
                Recompute(clusterId);
            }
        }
    }

    private ClusterInputs Get(string clusterId) => _inputs.GetValueOrDefault(clusterId) ?? ClusterInputs.Empty(clusterId);

    private void Put(ClusterInputs inputs)
    {
        if (inputs.IsEmpty)
        {
            _inputs.Remove(inputs.ClusterId);
        }
        else
        {
            _inputs[inputs.ClusterId] = inputs;
        }

        Recompute(inputs.ClusterId);
    }

    private void Recompute(string clusterId)
    {
        var inputs = Get(clusterId);
        var now = _time.GetUtcNow();
        var decision = RouteCalculator.Compute(inputs, _liveAllocators, now);
        AuditOverrides(inputs, decision, now);
        if (decision.NextExpiry is { } expiry)
        {
            _expiries.Enqueue(clusterId, expiry);
        }

        if (inputs.IsKnown)
        {
            _table.Set(ClusterRoute.Create(decision, _registry, _zone));
        }
        else
        {
            _table.Remove(clusterId);
        }
    }

    private void AuditOverrides(ClusterInputs inputs, RouteDecision decision, DateTimeOffset now)
    {
        var before = _activeOverrides.GetValueOrDefault(inputs.ClusterId, []);
        var after = decision.ActiveOverrides;
        foreach (var id in after.Except(before, StringComparer.Ordinal))
        {
            _audit.Record(Audit(OverrideAuditEvent.Applied, inputs.ClusterId, id, inputs.Overrides[id], now));
        }

        foreach (var id in before.Except(after, StringComparer.Ordinal))
        {
            if (inputs.Overrides.TryGetValue(id, out var ended))
            {
                // Still there but no longer active: it expired (a deleted one was audited when removed).
                _audit.Record(Audit(ended.IsActiveAt(now) ? OverrideAuditEvent.Removed : OverrideAuditEvent.Expired, inputs.ClusterId, id, ended, now));
            }
        }

        if (after.IsEmpty)
        {
            _activeOverrides.Remove(inputs.ClusterId);
        }
        else
        {
            _activeOverrides[inputs.ClusterId] = after;
        }
    }

    private OverrideAuditEvent Audit(string kind, string clusterId, string overrideId, RoutingOverride routingOverride, DateTimeOffset? at = null) => new()
    {
        Event = kind,
        ClusterId = clusterId,
        OverrideId = overrideId,
        Action = routingOverride.Action,
        Reason = routingOverride.Reason,
        Author = routingOverride.Author,
        CreatedAt = routingOverride.CreatedAt,
        ExpiresAt = routingOverride.ExpiresAt,
        ProxyId = _proxyId,
        At = at ?? _time.GetUtcNow(),
    };

    private void Index(string allocatorId, string clusterId)
    {
        if (!_clustersByAllocator.TryGetValue(allocatorId, out var clusters))
        {
            _clustersByAllocator[allocatorId] = clusters = new HashSet<string>(StringComparer.Ordinal);
        }

        clusters.Add(clusterId);
    }

    private void Unindex(string allocatorId, string clusterId, ClusterInputs inputs, string leaving)
    {
        var stillThere = inputs.Instances.Any(i => i.Key != leaving && i.Value.AllocatorId == allocatorId);
        if (!stillThere && _clustersByAllocator.TryGetValue(allocatorId, out var clusters))
        {
            clusters.Remove(clusterId);
            if (clusters.Count == 0)
            {
                _clustersByAllocator.Remove(allocatorId);
            }
        }
    }
}
