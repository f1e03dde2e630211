using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Cloud.Proxy.Routing;

/// <summary>
/// The routes every request reads: cluster id → immutable <see cref="ClusterRoute"/>. Each cluster's
/// entry is swapped atomically on its own, so one cluster changing never rebuilds or pauses the
/// others; lookups take a span of the Host header and allocate nothing.
/// </summary>
internal sealed class RouteTable
{
    private readonly ConcurrentDictionary<string, ClusterRoute> _routes = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, ClusterRoute>.AlternateLookup<ReadOnlySpan<char>> _bySpan;
    private long _version;

    public RouteTable()
    {
        _bySpan = _routes.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Count => _routes.Count;

    /// <summary>Grows with every change; lets tests and the benchmark see that a change was applied.</summary>
    public long Version => Volatile.Read(ref _version);

    public bool TryGet(ReadOnlySpan<char> clusterId, [MaybeNullWhen(false)] out ClusterRoute route) => _bySpan.TryGetValue(clusterId, out route);

    public bool TryGet(string clusterId, [MaybeNullWhen(false)] out ClusterRoute route) => _routes.TryGetValue(clusterId, out route);

    /// <summary>Every route at this moment (a live view: routes changing meanwhile may or may not be seen).</summary>
    public IEnumerable<ClusterRoute> Routes => _routes.Values.AsEnumerable();

    public void Set(ClusterRoute route)
    {
        ArgumentNullException.ThrowIfNull(route);
        _routes[route.ClusterId] = route;
        Interlocked.Increment(ref _version);
    }

    public void Remove(string clusterId)
    {
        if (_routes.TryRemove(clusterId, out _))
        {
            Interlocked.Increment(ref _version);
        }
    }
}
