using Cloud.ZooKeeper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cloud.Shared.Hosting;

/// <summary>
/// The one ZooKeeper session a role holds for its whole life. Connects on first use and keeps
/// trying, with jittered backoff, while ZooKeeper is unreachable: a role must start (and keep its
/// workloads) even when coordination is down. The client itself reconnects and renews its session.
/// </summary>
public sealed partial class ZooKeeperConnection : IAsyncDisposable
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(10);

    private readonly ZooKeeperOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lazy<Task<ZooKeeperClient>> _client;

    public ZooKeeperConnection(IOptions<ZooKeeperOptions> options, ILoggerFactory loggerFactory, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _options = options.Value;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<ZooKeeperConnection>();
        _timeProvider = timeProvider;
        _client = new Lazy<Task<ZooKeeperClient>>(() => ConnectUntilConnectedAsync(_stopping.Token));
    }

    /// <summary>The connected client; waits (until cancelled) while ZooKeeper cannot be reached.</summary>
    public Task<ZooKeeperClient> GetClientAsync(CancellationToken cancellationToken) => _client.Value.WaitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_client.IsValueCreated && _client.Value.IsCompletedSuccessfully)
        {
            await _client.Value.Result.DisposeAsync();
        }

        _stopping.Dispose();
    }

    private async Task<ZooKeeperClient> ConnectUntilConnectedAsync(CancellationToken cancellationToken)
    {
        var clientOptions = new ZooKeeperClientOptions
        {
            ConnectString = _options.ConnectString,
            SessionTimeout = TimeSpan.FromSeconds(_options.SessionTimeoutSeconds),
            RequestTimeout = TimeSpan.FromSeconds(_options.RequestTimeoutSeconds),
            TimeProvider = _timeProvider,
        };
        var backoff = TimeSpan.FromMilliseconds(200);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var client = await ZooKeeperClient.ConnectAsync(clientOptions, _loggerFactory.CreateLogger<ZooKeeperClient>(), cancellationToken);
                LogConnected(_options.ConnectString, client.SessionId);
                return client;
            }
            catch (ZooKeeperException ex)
            {
                LogConnectFailed(ex, _options.ConnectString, attempt);
            }
            catch (TimeoutException ex)
            {
                LogConnectFailed(ex, _options.ConnectString, attempt);
            }

            var jittered = backoff * (0.5 + Random.Shared.NextDouble());
            await Task.Delay(jittered, _timeProvider, cancellationToken);
            backoff = TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, backoff.Ticks * 2));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to ZooKeeper {ConnectString}, session 0x{SessionId:x}")]
    private partial void LogConnected(string connectString, long sessionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot reach ZooKeeper {ConnectString} (attempt {Attempt}); retrying")]
    private partial void LogConnectFailed(Exception exception, string connectString, int attempt);
}
