using Cloud.Proxy.Telemetry;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;

namespace Cloud.Proxy.FastPath;

/// <summary>
/// The proxy's own forwarding core for plain HTTP/1.1 (README, "Forwarding"): what every fast-path connection
/// shares. Each client connection gets a <see cref="FastConnection"/> that serves its requests until one needs
/// the ordinary Kestrel + YARP path, which then takes the rest of the connection.
/// </summary>
internal sealed class FastForwarder
{
    // Kestrel's request line limit (8 KB) on top of the header limit, so anything Kestrel would refuse with 414 or 431
    // is still seen whole and handed to it.
    private const int RequestLineAllowance = 8 * 1024;

    public FastForwarder(FastRouter router, BackendConnector connector, ProxyMetrics metrics, FastPathCounters counters, IdleConnectionReaper reaper, BackendPoolSweeper sweeper, IOptions<ProxyOptions> options)
    {
        // The sweeper only needs to exist while the fast path does: its timer closes the idle connections nothing takes.
        PoolSweeper = sweeper;
        Router = router;
        Connector = connector;
        Metrics = metrics;
        Counters = counters;
        Reaper = reaper;
        Enabled = options.Value.FastPath;
        MaxRequestHead = options.Value.MaxRequestHeadersBytes + RequestLineAllowance;
    }

    public bool Enabled { get; }

    public FastRouter Router { get; }

    public BackendConnector Connector { get; }

    public ProxyMetrics Metrics { get; }

    public FastPathCounters Counters { get; }

    public IdleConnectionReaper Reaper { get; }

    public BackendPoolSweeper PoolSweeper { get; }

    public int MaxRequestHead { get; }

    /// <summary>
    /// Kestrel connection middleware: serves the connection's requests and returns to let Kestrel's HTTP stack
    /// (and YARP) take the connection over, from the first request the fast path leaves to it.
    /// </summary>
    public ConnectionDelegate Middleware(ConnectionDelegate next) => async connection =>
    {
        if (!Enabled || await new FastConnection(this, connection).RunAsync())
        {
            await next(connection);
        }
    };
}
