using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cloud.Proxy.Health;

/// <summary>
/// Brings failed destinations back: every probe interval it opens a TCP connection to each address
/// that passive health took out, and puts it back into rotation when the connection succeeds.
/// </summary>
internal sealed partial class ActiveProber : BackgroundService
{
    private readonly DestinationRegistry _registry;
    private readonly TimeProvider _time;
    private readonly ILogger<ActiveProber> _logger;
    private readonly TimeSpan _interval;
    private readonly TimeSpan _timeout;

    public ActiveProber(DestinationRegistry registry, TimeProvider time, IOptions<ProxyOptions> options, ILogger<ActiveProber> logger)
    {
        _registry = registry;
        _time = time;
        _logger = logger;
        _interval = TimeSpan.FromMilliseconds(options.Value.ProbeIntervalMilliseconds);
        _timeout = TimeSpan.FromMilliseconds(options.Value.ConnectTimeoutMilliseconds);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_interval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await Task.WhenAll(_registry.Failed.Select(d => ProbeAsync(d, stoppingToken)));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task ProbeAsync(DestinationState destination, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        try
        {
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(destination.Host, destination.Port, timeout.Token);
            if (destination.MarkHealthy())
            {
                LogBack(destination.Address);
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // Still down; try again next tick.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Destination {Address} answers again; back in rotation")]
    private partial void LogBack(string address);
}
