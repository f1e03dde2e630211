using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Cloud.Proxy.Health;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cloud.Proxy.FastPath;

/// <summary>
/// Connections to instances for the fast path: a pool per address (shared by every cluster routing there, like
/// <see cref="DestinationState"/>), new ones opened with the proxy's connect timeout over Kestrel's socket transport.
/// </summary>
internal sealed class BackendConnector : IDisposable
{
    // Below nginx's and Elasticsearch's own idle limits (75 s and none), so the proxy is the side that gives up.
    private static readonly TimeSpan IdleLimit = TimeSpan.FromSeconds(50);
    private const int MaxIdlePerAddress = 1024;

    private readonly ConcurrentDictionary<DestinationState, BackendPool> _pools = new();
    private readonly SocketConnectionContextFactory _factory;
    private readonly TimeSpan _connectTimeout;

    public BackendConnector(IOptions<ProxyOptions> options, ILoggerFactory loggers)
    {
        _connectTimeout = TimeSpan.FromMilliseconds(options.Value.ConnectTimeoutMilliseconds);
        _factory = new SocketConnectionContextFactory(new SocketConnectionFactoryOptions { UnsafePreferInlineScheduling = options.Value.InlineSocketCompletions }, loggers.CreateLogger<BackendConnector>());
    }

    public BackendPool Pool(DestinationState destination) =>
        _pools.GetOrAdd(destination, static _ => new BackendPool(MaxIdlePerAddress, IdleLimit));

    /// <summary>The pools opened so far (an address's pool stays, empty, after its instance leaves).</summary>
    public IEnumerable<KeyValuePair<DestinationState, BackendPool>> Pools => _pools;

    /// <summary>A new connection; throws <see cref="SocketException"/> or <see cref="OperationCanceledException"/> (timeout) when the instance cannot be reached.</summary>
    public async ValueTask<BackendConnection> ConnectAsync(DestinationState destination, CancellationToken cancellationToken)
    {
        var socket = IPAddress.TryParse(destination.Host, out var address)
            ? new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
            : new Socket(SocketType.Stream, ProtocolType.Tcp);
        EndPoint endPoint = address is not null ? new IPEndPoint(address, destination.Port) : new DnsEndPoint(destination.Host, destination.Port);
        socket.NoDelay = true;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_connectTimeout);
        try
        {
            await socket.ConnectAsync(endPoint, timeout.Token);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new BackendConnection(_factory.Create(socket));
    }

    public void Dispose()
    {
        foreach (var pool in _pools.Values)
        {
            while (pool.TryTake() is { } idle)
            {
                idle.Abort();
            }
        }

        _factory.Dispose();
    }
}
