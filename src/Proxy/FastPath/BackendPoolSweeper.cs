using Cloud.Proxy.Health;
using Cloud.Proxy.Routing;

namespace Cloud.Proxy.FastPath;

/// <summary>
/// Once a second, closes the idle instance connections nothing will take: those of instances no longer routed by
/// any cluster (moved, removed: otherwise they stay open until the instance closes them) and those idle past the
/// pool's limit (otherwise only dropped when taken). One timer for every pool, not one per connection.
/// </summary>
internal sealed class BackendPoolSweeper : IDisposable
{
    private readonly BackendConnector _connector;
    private readonly RouteTable _routes;
    private readonly Timer _timer;
    private long _routedVersion = -1;
    private HashSet<DestinationState> _routed = [];

    public BackendPoolSweeper(BackendConnector connector, RouteTable routes)
    {
        _connector = connector;
        _routes = routes;
        _timer = new Timer(static state => ((BackendPoolSweeper)state!).Sweep(), this, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    /// <summary>Internal so a test can sweep without waiting.</summary>
    internal void Sweep(long? now = null)
    {
        var at = now ?? Environment.TickCount64;
        HashSet<DestinationState>? routed = null;
        foreach (var (destination, pool) in _connector.Pools)
        {
            if (pool.IdleCount == 0)
            {
                continue;
            }

            // The routed set is only rebuilt when some pool holds idle connections and the routes changed since.
            routed ??= Routed();
            pool.CloseIdle(all: !routed.Contains(destination), at);
        }
    }

    private HashSet<DestinationState> Routed()
    {
        // Read the version first: a change landing during the walk bumps it again, so the next sweep rebuilds.
        var version = _routes.Version;
        if (version == _routedVersion)
        {
            return _routed;
        }

        var routed = new HashSet<DestinationState>();
        foreach (var route in _routes.Routes)
        {
            foreach (var destination in route.All)
            {
                routed.Add(destination.State);
            }
        }

        _routed = routed;
        _routedVersion = version;
        return routed;
    }

    public void Dispose() => _timer.Dispose();
}
