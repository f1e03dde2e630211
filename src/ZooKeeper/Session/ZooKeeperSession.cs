using System.Net.Sockets;
using System.Threading.Channels;
using Cloud.ZooKeeper.Diagnostics;
using Cloud.ZooKeeper.Jute;
using Cloud.ZooKeeper.Protocol;
using Cloud.ZooKeeper.Watches;
using Microsoft.Extensions.Logging;

namespace Cloud.ZooKeeper.Session;

/// <summary>
/// A ZooKeeper session over a sequence of connections: connects to the servers in turn, resumes the
/// session (id + password) after a connection loss, restores auth and watches, detects expiry (told
/// by the server, or locally once disconnected for longer than the session timeout) and, when asked,
/// opens a new session after expiry.
/// </summary>
internal sealed partial class ZooKeeperSession : IAsyncDisposable
{
    private const int SetWatchesBatchBytes = 128 * 1024;
    private static readonly TimeSpan ReconnectInitial = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan ReconnectMax = TimeSpan.FromSeconds(1);

    private readonly ZooKeeperClientOptions _options;
    private readonly HostRotation _hosts;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Action<ConnectionStateChange> _onStateChange;
    private readonly Channel<OutgoingPacket> _outgoing = Channel.CreateUnbounded<OutgoingPacket>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _shutdown = new();
    private readonly Lock _lock = new();
    private readonly List<(string Scheme, byte[] Auth)> _authInfo = [];
    private TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ConnectionState _state = ConnectionState.Connecting;
    private SessionCredentials _credentials = SessionCredentials.None;
    private SessionCredentials? _staleSession;
    private TimeSpan _negotiatedTimeout;
    private long _lastZxid;
    private volatile bool _closing;
    private long _disconnectedAt;
    private int _xid;
    private Task _runLoop = Task.CompletedTask;

    public ZooKeeperSession(ZooKeeperClientOptions options, ConnectString connectString, ILogger logger, Action<ConnectionStateChange> onStateChange)
    {
        _options = options;
        ConnectString = connectString;
        _hosts = new HostRotation(connectString.Hosts);
        _time = options.TimeProvider;
        _logger = logger;
        _onStateChange = onStateChange;
        _negotiatedTimeout = options.SessionTimeout;
        Events = new EventDispatcher(logger);
    }

    public ConnectString ConnectString { get; }

    public WatchManager Watches { get; } = new();

    public EventDispatcher Events { get; }

    public long SessionId => Volatile.Read(ref _credentials).SessionId;

    public ConnectionState State => _state;

    public TimeSpan NegotiatedTimeout => _negotiatedTimeout;

    /// <summary>The server of the current connection, or null while disconnected.</summary>
    public HostEndpoint? ConnectedServer { get; private set; }

    public void Start() => _runLoop = Task.Run(RunAsync);

    public Task WaitUntilConnectedAsync(CancellationToken cancellationToken)
    {
        Task connected;
        lock (_lock)
        {
            connected = _connected.Task;
        }

        return connected.WaitAsync(cancellationToken);
    }

    /// <summary>The next request id: always positive (negative xids are reserved for pings, auth, watches).</summary>
    public int NextXid()
    {
        var xid = Interlocked.Increment(ref _xid);
        if (xid > 0)
        {
            return xid;
        }

        // Wrapped past int.MaxValue: start again at 1 (only the send loop asks, so no one races this).
        Interlocked.CompareExchange(ref _xid, 1, xid);
        return 1;
    }

    public void OnZxid(long zxid)
    {
        long current;
        do
        {
            current = Volatile.Read(ref _lastZxid);
            if (zxid <= current)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _lastZxid, zxid, current) != current);
    }

    public void OnNotification(WatcherEvent notification)
    {
        if (notification.Path is null || notification.Type == EventType.None)
        {
            return;
        }

        var path = ConnectString.ToClientPath(notification.Path);
        var watchedEvent = new WatchedEvent(notification.Type, notification.State, path);
        foreach (var watcher in Watches.Trigger(notification.Type, path))
        {
            Events.Enqueue(watcher, watchedEvent);
        }
    }

    public void EnqueuePing(byte[] pingFrame) =>
        _outgoing.Writer.TryWrite(new OutgoingPacket(pingFrame, pingFrame.Length, null, pooled: false));

    /// <summary>Queues a request frame and waits for its reply, at most the request timeout.</summary>
    public async Task<T> SubmitAsync<T>(PendingRequest<T> pending, JuteWriter frame, CancellationToken cancellationToken)
    {
        var started = ZooKeeperMetrics.Start();
        try
        {
            var result = await SubmitCoreAsync(pending, frame, cancellationToken).ConfigureAwait(false);
            ZooKeeperMetrics.Record(pending.Op, started, null);
            return result;
        }
        catch (Exception ex)
        {
            ZooKeeperMetrics.Record(pending.Op, started, ex);
            throw;
        }
    }

    private async Task<T> SubmitCoreAsync<T>(PendingRequest<T> pending, JuteWriter frame, CancellationToken cancellationToken)
    {
        var (buffer, length) = frame.DetachFrame();
        if (length - 4 > _options.MaxPacketLength)
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            throw new DataTooLargeException(pending.Path, length - 4, _options.MaxPacketLength);
        }

        var unusable = UnusableError();
        if (unusable is not null)
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            throw unusable;
        }

        if (!_outgoing.Writer.TryWrite(new OutgoingPacket(buffer, length, pending)))
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            throw new ObjectDisposedException(nameof(ZooKeeperClient));
        }

        try
        {
            return await pending.Task.WaitAsync(_options.RequestTimeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            pending.Abandon();
            if (pending.Task.IsCompletedSuccessfully)
            {
                return pending.Task.Result;
            }

            throw pending.Sent
                ? new RequestTimeoutException(pending.Path, $"No reply to {pending.Op} {pending.Path} within {_options.RequestTimeout.TotalSeconds:F1} s.")
                : new ConnectionLossException(pending.Path, $"Not connected to ZooKeeper within the request timeout ({_options.RequestTimeout.TotalSeconds:F1} s); {pending.Op} {pending.Path} was not sent.");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            pending.Abandon();
            throw;
        }
    }

    public async Task AddAuthAsync(string scheme, byte[] auth, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _authInfo.Add((scheme, auth));
        }

        var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var (buffer, length) = BuildAuthFrame(scheme, auth);
        _outgoing.Writer.TryWrite(new OutgoingPacket(buffer, length, null, completion) { IsAuth = true });
        try
        {
            await completion.Task.WaitAsync(_options.RequestTimeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (ZooKeeperException)
        {
            lock (_lock)
            {
                _authInfo.RemoveAll(a => a.Scheme == scheme && a.Auth.AsSpan().SequenceEqual(auth));
            }

            throw;
        }
        catch (TimeoutException)
        {
            throw new RequestTimeoutException(null, $"No answer to the {scheme} auth request within {_options.RequestTimeout.TotalSeconds:F1} s.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        bool sendClose;
        lock (_lock)
        {
            if (_closing)
            {
                return;
            }

            // From here the run loop neither reconnects nor reports a disconnect: the server closing the
            // socket after CloseSession is the end, not an outage to recover from.
            _closing = true;
            sendClose = _state == ConnectionState.Connected;
        }

        SetState(ConnectionState.Closing, SessionId, false);
        if (sendClose)
        {
            try
            {
                using var writer = RequestFrame.Start(OpCode.CloseSession);
                var pending = new PendingRequest<bool>(OpCode.CloseSession, null, static (ref JuteReader _) => true);
                var (buffer, length) = writer.DetachFrame();
                _outgoing.Writer.TryWrite(new OutgoingPacket(buffer, length, pending));
                var timeout = TimeSpan.FromTicks(Math.Min(_options.RequestTimeout.Ticks, TimeSpan.FromSeconds(3).Ticks));
                await pending.Task.WaitAsync(timeout, _time).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is ZooKeeperException or TimeoutException)
            {
                LogCloseFailed(_logger, ex);
            }
        }

        await _shutdown.CancelAsync().ConfigureAwait(false);
        _outgoing.Writer.TryComplete();
        await _runLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        FailQueued(_ => new ObjectDisposedException(nameof(ZooKeeperClient), "The ZooKeeper client was closed."));
        lock (_lock)
        {
            _connected.TrySetException(new ObjectDisposedException(nameof(ZooKeeperClient), "The ZooKeeper client was closed."));
        }

        var closedSession = SessionId;
        SetState(ConnectionState.Closed, closedSession, false);
        foreach (var watcher in Watches.TakeAll())
        {
            Events.Enqueue(watcher, new WatchedEvent(EventType.None, KeeperState.Closed, null));
        }

        await Events.DisposeAsync().ConfigureAwait(false);
        _shutdown.Dispose();
    }

    private Exception? UnusableError() => _state switch
    {
        ConnectionState.Closing or ConnectionState.Closed => new ObjectDisposedException(nameof(ZooKeeperClient), "The ZooKeeper client was closed."),
        ConnectionState.Expired when !_options.RenewSessionOnExpiry => new SessionExpiredException(null, "The ZooKeeper session expired."),
        _ => null,
    };

    private async Task RunAsync()
    {
        var ct = _shutdown.Token;
        var failures = 0;
        while (!ct.IsCancellationRequested && !_closing)
        {
            if (ExpiredLocally())
            {
                LogExpiredLocally(_logger, _credentials.SessionId, _negotiatedTimeout.TotalMilliseconds);
                _staleSession = _credentials;
                if (!OnExpired())
                {
                    return;
                }
            }

            var host = _hosts.Next();
            Connection? connection = null;
            try
            {
                if (_staleSession is { } stale)
                {
                    // One try: a server that refuses it (say, restored from older data) must not keep the
                    // new session from being opened; the server expires the old one on its own anyway.
                    _staleSession = null;
                    await TryCloseStaleSessionAsync(host, stale, ct).ConfigureAwait(false);
                }

                connection = await ConnectAsync(host, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                failures++;
                LogConnectFailed(_logger, host, ex.Message);
                await DelayAsync(failures, ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                continue;
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (connection is null)
            {
                // The server said the session expired.
                if (!OnExpired())
                {
                    return;
                }

                continue;
            }

            var connectedAt = _time.GetTimestamp();
            Exception? failure;
            await using (connection.ConfigureAwait(false))
            {
                failure = await connection.RunAsync(_outgoing.Reader, ct).ConfigureAwait(false);
                ConnectedServer = null;
                connection.FailPending(p => new ConnectionLossException(p.Path, $"The connection to {host} was lost before {p.Op} {p.Path} was answered."));
            }

            if (ct.IsCancellationRequested || _closing)
            {
                return;
            }

            LogDisconnected(_logger, host, _credentials.SessionId, failure?.Message);
            _disconnectedAt = _time.GetTimestamp();
            lock (_lock)
            {
                if (_connected.Task.IsCompleted)
                {
                    _connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }
            }

            SetState(ConnectionState.Disconnected, _credentials.SessionId, false);

            // A server that accepts the session and then drops it at once must not be hammered: only a
            // connection that lived a ping interval counts as a success that resets the backoff.
            if (_time.GetElapsedTime(connectedAt) < _negotiatedTimeout / 3)
            {
                failures++;
                await DelayAsync(failures, ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
            else
            {
                failures = 0;
            }
        }
    }

    private bool ExpiredLocally() =>
        _credentials.SessionId != 0
        && _state == ConnectionState.Disconnected
        && _time.GetElapsedTime(_disconnectedAt) > _negotiatedTimeout;

    /// <summary>Handles an expired session; returns whether to go on with a new one.</summary>
    private bool OnExpired()
    {
        var expired = _credentials.SessionId;
        _credentials = SessionCredentials.None;
        FailQueued(p => new SessionExpiredException(p?.Path, $"The ZooKeeper session 0x{expired:x} expired."));
        SetState(ConnectionState.Expired, expired, false);
        foreach (var watcher in Watches.TakeAll())
        {
            Events.Enqueue(watcher, new WatchedEvent(EventType.None, KeeperState.Expired, null));
        }

        if (!_options.RenewSessionOnExpiry)
        {
            lock (_lock)
            {
                _connected.TrySetException(new SessionExpiredException(null, $"The ZooKeeper session 0x{expired:x} expired."));
            }

            return false;
        }

        SetState(ConnectionState.Connecting, 0, false);
        return true;
    }

    private void FailQueued(Func<PendingRequest?, Exception> error)
    {
        while (_outgoing.Reader.TryRead(out var packet))
        {
            packet.Pending?.Fail(error(packet.Pending));
            packet.AuthCompletion?.TrySetException(error(null));
            packet.Release();
        }
    }

    private async Task DelayAsync(int failures, CancellationToken cancellationToken)
    {
        // Try every server quickly once, then back off with jitter, capped well below the session timeout.
        if (failures % _hosts.Count != 0)
        {
            return;
        }

        var cap = TimeSpan.FromTicks(Math.Clamp(_negotiatedTimeout.Ticks / 4, ReconnectInitial.Ticks, ReconnectMax.Ticks));
        await new Backoff(ReconnectInitial, cap).WaitAsync(failures / _hosts.Count, _time, cancellationToken).ConfigureAwait(false);
    }

    private void SetState(ConnectionState state, long sessionId, bool isNewSession)
    {
        lock (_lock)
        {
            _state = state;
        }

        var change = new ConnectionStateChange(state, sessionId, isNewSession);
        Events.Enqueue(() =>
        {
            _onStateChange(change);
            return Task.CompletedTask;
        });
    }
}
