using System.Text;
using Cloud.Shared.Coordination;
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
    private static readonly Backoff ConnectBackoff = new(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10));

    private readonly ZooKeeperOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _lock = new();
    private Task<ZooKeeperClient>? _client;
    private bool _disposed;

    public ZooKeeperConnection(IOptions<ZooKeeperOptions> options, ILoggerFactory loggerFactory, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _options = options.Value;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<ZooKeeperConnection>();
        _timeProvider = timeProvider;
    }

    /// <summary>The connected client; waits (until cancelled) while ZooKeeper cannot be reached.</summary>
    public Task<ZooKeeperClient> GetClientAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);

            // Started under the lock, so disposal either sees this task (and waits for it) or refuses the call.
            _client ??= Task.Run(() => ConnectUntilConnectedAsync(_stopping.Token), CancellationToken.None);
            return _client.WaitAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task<ZooKeeperClient>? connecting;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            connecting = _client;
        }

        await _stopping.CancelAsync();
        if (connecting is not null)
        {
            // A connect that completes while we cancel still yields a client: it must be closed too, or its
            // session (and the role's ephemeral nodes) would outlive the role by a session timeout.
            await ((Task)connecting).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (connecting.IsCompletedSuccessfully)
            {
                await connecting.Result.DisposeAsync();
            }
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
            DefaultAcl = _options.DigestUser is { } user ? path => PlatformOwnedNodes.CreateAclFor(path, user) : null,
        };
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var client = await ZooKeeperClient.ConnectAsync(clientOptions, _loggerFactory.CreateLogger<ZooKeeperClient>(), cancellationToken);
                if (!string.IsNullOrEmpty(_options.Digest))
                {
                    // Before anyone gets the client, so no node is created without the identity; the client
                    // re-sends it after every reconnect.
                    await AuthenticateAsync(client, _options.Digest, cancellationToken);
                }

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

            await ConnectBackoff.WaitAsync(attempt, _timeProvider, cancellationToken);
        }
    }

    private static async Task AuthenticateAsync(ZooKeeperClient client, string digest, CancellationToken cancellationToken)
    {
        try
        {
            await client.AddAuthAsync("digest", Encoding.UTF8.GetBytes(digest), cancellationToken);
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to ZooKeeper {ConnectString}, session 0x{SessionId:x}")]
    private partial void LogConnected(string connectString, long sessionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot reach ZooKeeper {ConnectString} (attempt {Attempt}); retrying")]
    private partial void LogConnectFailed(Exception exception, string connectString, int attempt);
}
