using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cloud.ZooKeeper.Recipes;

/// <summary>
/// Keeps an ephemeral node at <see cref="Path"/> with the latest data for as long as it is not disposed:
/// creates its parents, re-creates it in every new session (after expiry) and after anyone deletes it,
/// and waits for a node left by another (for example an expired) session to go. Disposing deletes it.
/// </summary>
public sealed partial class EphemeralRegistration : IAsyncDisposable
{
    private readonly ZooKeeperClient _client;
    private readonly ILogger _logger;
    private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Watcher _watcher;
    private byte[] _data = [];
    private Task _loop = Task.CompletedTask;
    private bool _started;

    public EphemeralRegistration(ZooKeeperClient client, string path, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        PathValidator.Validate(path);
        _client = client;
        Path = path;
        _logger = logger ?? NullLogger.Instance;
        _watcher = Watcher.Create(_ =>
        {
            Signal();
            return Task.CompletedTask;
        });
    }

    public string Path { get; }

    /// <summary>True while the node exists and is owned by the current session, as last seen.</summary>
    public bool IsRegistered { get; private set; }

    /// <summary>Creates the node (retrying connection trouble until <paramref name="cancellationToken"/>) and keeps it.</summary>
    public async Task StartAsync(byte[] data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (_started)
        {
            throw new InvalidOperationException("The registration is already started.");
        }

        _started = true;
        _data = data;
        _client.ConnectionStateChanged += OnConnectionStateChanged;
        await EnsureWithRetryAsync(cancellationToken).ConfigureAwait(false);
        _loop = Task.Run(LoopAsync, CancellationToken.None);
    }

    /// <summary>Replaces the node's data (creating the node if it is missing).</summary>
    public async Task UpdateAsync(byte[] data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        _data = data;
        await EnsureWithRetryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        _client.ConnectionStateChanged -= OnConnectionStateChanged;
        await _stop.CancelAsync().ConfigureAwait(false);
        _signal.Writer.TryComplete();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        try
        {
            var stat = await _client.ExistsAsync(Path).ConfigureAwait(false);
            if (stat is not null && stat.EphemeralOwner == _client.SessionId)
            {
                await _client.DeleteAsync(Path, stat.Version).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is ZooKeeperException or ObjectDisposedException)
        {
            LogDeleteFailed(_logger, Path, ex);
        }

        IsRegistered = false;
        _stop.Dispose();
        _gate.Dispose();
    }

    private void OnConnectionStateChanged(ConnectionStateChange change)
    {
        if (change.State == ConnectionState.Connected && change.IsNewSession)
        {
            Signal();
        }
        else if (change.State is ConnectionState.Expired)
        {
            IsRegistered = false;
        }
    }

    private void Signal() => _signal.Writer.TryWrite(true);

    private async Task LoopAsync()
    {
        var token = _stop.Token;
        try
        {
            await foreach (var _ in _signal.Reader.ReadAllAsync(token).ConfigureAwait(false))
            {
                await EnsureWithRetryAsync(token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
    }

    private async Task EnsureWithRetryAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await EnsureAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (RetryableErrors.IsRetryable(ex) && !cancellationToken.IsCancellationRequested)
            {
                LogRetrying(_logger, Path, ex.Message);
                await Backoff.Default.WaitAsync(attempt + 1, _client.Options.TimeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>One reconcile pass: make the node exist, owned by this session, with the latest data.</summary>
    private async Task EnsureAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var data = _data;
            await _client.CreateRecursiveAsync(ZPaths.Parent(Path), null, cancellationToken).ConfigureAwait(false);
            try
            {
                await _client.CreateAsync(Path, data, CreateMode.Ephemeral, null, cancellationToken).ConfigureAwait(false);
                LogRegistered(_logger, Path, _client.SessionId);
            }
            catch (NodeExistsException)
            {
                var existing = await _client.GetDataAsync(Path, null, cancellationToken).ConfigureAwait(false);
                if (existing.Stat.EphemeralOwner != _client.SessionId)
                {
                    IsRegistered = false;
                    LogHeldByOther(_logger, Path, existing.Stat.EphemeralOwner);
                    if (await _client.ExistsAsync(Path, _watcher, cancellationToken).ConfigureAwait(false) is null)
                    {
                        Signal();
                    }

                    return;
                }

                if (!existing.Data.AsSpan().SequenceEqual(data))
                {
                    await _client.SetDataAsync(Path, data, existing.Stat.Version, cancellationToken).ConfigureAwait(false);
                }
            }

            IsRegistered = true;
            if (await _client.ExistsAsync(Path, _watcher, cancellationToken).ConfigureAwait(false) is null)
            {
                IsRegistered = false;
                Signal();
            }
        }
        catch (NoNodeException)
        {
            Signal();
        }
        finally
        {
            _gate.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Registered ephemeral node {Path} in session 0x{SessionId:x}")]
    private static partial void LogRegistered(ILogger logger, string path, long sessionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ephemeral node {Path} is held by session 0x{Owner:x}; waiting for it to go")]
    private static partial void LogHeldByOther(ILogger logger, string path, long owner);

    [LoggerMessage(Level = LogLevel.Information, Message = "Registration of {Path} will be retried: {Reason}")]
    private static partial void LogRetrying(ILogger logger, string path, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete ephemeral node {Path} on dispose")]
    private static partial void LogDeleteFailed(ILogger logger, string path, Exception exception);
}
