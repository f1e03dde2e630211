using System.Net.Sockets;
using System.Threading.Channels;
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

    public int NextXid() => Interlocked.Increment(ref _xid);

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
        if (_shutdown.IsCancellationRequested)
        {
            return;
        }

        if (_state == ConnectionState.Connected)
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
        ConnectionState.Closed => new ObjectDisposedException(nameof(ZooKeeperClient), "The ZooKeeper client was closed."),
        ConnectionState.Expired when !_options.RenewSessionOnExpiry => new SessionExpiredException(null, "The ZooKeeper session expired."),
        _ => null,
    };

    private async Task RunAsync()
    {
        var ct = _shutdown.Token;
        var failures = 0;
        while (!ct.IsCancellationRequested)
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
                    await CloseStaleSessionAsync(host, stale, ct).ConfigureAwait(false);
                    _staleSession = null;
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

            failures = 0;
            Exception? failure;
            await using (connection.ConfigureAwait(false))
            {
                failure = await connection.RunAsync(_outgoing.Reader, ct).ConfigureAwait(false);
                ConnectedServer = null;
                connection.FailPending(p => new ConnectionLossException(p.Path, $"The connection to {host} was lost before {p.Op} {p.Path} was answered."));
            }

            if (ct.IsCancellationRequested)
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

    private async Task<(Socket Socket, NetworkStream Stream, FrameReader Reader, ConnectResponse Response)> HandshakeAsync(
        HostEndpoint host, SessionCredentials credentials, CancellationToken cancellationToken)
    {
        var connectTimeout = TimeSpan.FromTicks(Math.Max(_options.SessionTimeout.Ticks / _hosts.Count, TimeSpan.FromMilliseconds(500).Ticks));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(connectTimeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(host.Host, host.Port, timeout.Token).ConfigureAwait(false);
            var stream = new NetworkStream(socket, ownsSocket: true);
            var reader = new FrameReader(stream, _options.MaxPacketLength + 1024);
            var request = new ConnectRequest(Volatile.Read(ref _lastZxid), (int)_options.SessionTimeout.TotalMilliseconds, credentials.SessionId, credentials.Password);
            var (buffer, length) = request.ToFrame();
            try
            {
                await stream.WriteAsync(buffer.AsMemory(0, length), timeout.Token).ConfigureAwait(false);
            }
            finally
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            }

            timeout.CancelAfter(_options.SessionTimeout * 2 / 3);
            var frame = await reader.ReadFrameAsync(timeout.Token).ConfigureAwait(false);
            var response = ParseConnectResponse(frame.Span);
            return (socket, stream, reader, response);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static ConnectResponse ParseConnectResponse(ReadOnlySpan<byte> frame)
    {
        var reader = new JuteReader(frame);
        return ConnectResponse.Read(ref reader);
    }

    /// <summary>Connects and resumes (or opens) the session; null when the server reports it expired.</summary>
    private async Task<Connection?> ConnectAsync(HostEndpoint host, CancellationToken cancellationToken)
    {
        var credentials = _credentials;
        var (socket, stream, reader, response) = await HandshakeAsync(host, credentials, cancellationToken).ConfigureAwait(false);
        if (response.TimeoutMs <= 0)
        {
            LogExpiredByServer(_logger, credentials.SessionId, host);
            await stream.DisposeAsync().ConfigureAwait(false);
            return null;
        }

        var isNew = credentials.SessionId == 0 || credentials.SessionId != response.SessionId;
        _negotiatedTimeout = TimeSpan.FromMilliseconds(response.TimeoutMs);
        Volatile.Write(ref _credentials, new SessionCredentials(response.SessionId, response.Password));
        var connection = new Connection(socket, stream, reader, this, _negotiatedTimeout, _time, _logger) { Host = host };
        try
        {
            List<(string Scheme, byte[] Auth)> auths;
            lock (_lock)
            {
                auths = [.. _authInfo];
            }

            foreach (var (scheme, auth) in auths)
            {
                var (buffer, length) = BuildAuthFrame(scheme, auth);
                try
                {
                    await connection.WriteDirectAsync(buffer, length, expectAuthReply: true, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
                }
            }

            if (!isNew)
            {
                await RestoreWatchesAsync(connection, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        LogConnected(_logger, host, response.SessionId, response.TimeoutMs, isNew);
        ConnectedServer = host;
        lock (_lock)
        {
            _state = ConnectionState.Connected;
            _connected.TrySetResult();
        }

        SetState(ConnectionState.Connected, response.SessionId, isNew);
        return connection;
    }

    private async Task RestoreWatchesAsync(Connection connection, CancellationToken cancellationToken)
    {
        var paths = Watches.Paths();
        if (paths.IsEmpty)
        {
            return;
        }

        var relativeZxid = Volatile.Read(ref _lastZxid);
        var data = new List<string>();
        var exist = new List<string>();
        var child = new List<string>();
        var batchBytes = 0;
        var batches = 0;
        async Task FlushAsync()
        {
            using var writer = RequestFrame.Start(OpCode.SetWatches, Xids.SetWatches, batchBytes + 64);
            writer.WriteLong(relativeZxid);
            writer.WriteStringVector(data);
            writer.WriteStringVector(exist);
            writer.WriteStringVector(child);
            var (buffer, length) = writer.DetachFrame();
            try
            {
                await connection.WriteDirectAsync(buffer, length, expectAuthReply: false, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            }

            batches++;
            data.Clear();
            exist.Clear();
            child.Clear();
            batchBytes = 0;
        }

        foreach (var (list, source) in new[] { (data, paths.Data), (exist, paths.Exist), (child, paths.Child) })
        {
            foreach (var clientPath in source)
            {
                var serverPath = ConnectString.ToServerPath(clientPath);
                if (batchBytes + serverPath.Length + 4 > SetWatchesBatchBytes)
                {
                    await FlushAsync().ConfigureAwait(false);
                }

                list.Add(serverPath);
                batchBytes += serverPath.Length + 4;
            }
        }

        if (batchBytes > 0)
        {
            await FlushAsync().ConfigureAwait(false);
        }

        LogWatchesRestored(_logger, paths.Data.Count, paths.Exist.Count, paths.Child.Count, relativeZxid, batches);
    }

    private async Task CloseStaleSessionAsync(HostEndpoint host, SessionCredentials stale, CancellationToken cancellationToken)
    {
        var (_, stream, reader, response) = await HandshakeAsync(host, stale, cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            if (response.TimeoutMs <= 0)
            {
                return;
            }

            LogClosingStaleSession(_logger, stale.SessionId);
            using var writer = RequestFrame.Start(OpCode.CloseSession, 1);
            var (buffer, length) = writer.DetachFrame();
            try
            {
                await stream.WriteAsync(buffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.SessionTimeout);
            try
            {
                while (true)
                {
                    var frame = await reader.ReadFrameAsync(timeout.Token).ConfigureAwait(false);
                    if (IsReplyTo(frame.Span, 1))
                    {
                        return;
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // The server closes the socket after closing the session.
            }
        }
    }

    private static bool IsReplyTo(ReadOnlySpan<byte> frame, int xid)
    {
        var reader = new JuteReader(frame);
        return ReplyHeader.Read(ref reader).Xid == xid;
    }

    private static (byte[] Buffer, int Length) BuildAuthFrame(string scheme, byte[] auth)
    {
        using var writer = RequestFrame.Start(OpCode.Auth, Xids.Auth, 64 + auth.Length);
        writer.WriteInt(0);
        writer.WriteString(scheme);
        writer.WriteBuffer(auth);
        return writer.DetachFrame();
    }

    private async Task DelayAsync(int failures, CancellationToken cancellationToken)
    {
        // Try every server quickly once, then back off with jitter, capped well below the session timeout.
        if (failures % _hosts.Count != 0)
        {
            return;
        }

        var rounds = failures / _hosts.Count;
        var capMs = Math.Min(1000, _negotiatedTimeout.TotalMilliseconds / 4);
        var delayMs = Math.Min(capMs, 25 * Math.Pow(2, Math.Min(rounds, 10)));
        delayMs = (delayMs / 2) + (Random.Shared.NextDouble() * delayMs / 2);
        await Task.Delay(TimeSpan.FromMilliseconds(delayMs), _time, cancellationToken).ConfigureAwait(false);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to ZooKeeper {Host}, session 0x{SessionId:x}, timeout {TimeoutMs} ms, new session {IsNew}")]
    private static partial void LogConnected(ILogger logger, HostEndpoint host, long sessionId, int timeoutMs, bool isNew);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the connection to ZooKeeper {Host} (session 0x{SessionId:x}): {Reason}")]
    private static partial void LogDisconnected(ILogger logger, HostEndpoint host, long sessionId, string? reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not connect to ZooKeeper {Host}: {Reason}")]
    private static partial void LogConnectFailed(ILogger logger, HostEndpoint host, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "ZooKeeper {Host} reports session 0x{SessionId:x} expired")]
    private static partial void LogExpiredByServer(ILogger logger, long sessionId, HostEndpoint host);

    [LoggerMessage(Level = LogLevel.Warning, Message = "ZooKeeper session 0x{SessionId:x} considered expired: disconnected longer than its {TimeoutMs} ms timeout")]
    private static partial void LogExpiredLocally(ILogger logger, long sessionId, double timeoutMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Closing stale ZooKeeper session 0x{SessionId:x} so its ephemeral nodes go now")]
    private static partial void LogClosingStaleSession(ILogger logger, long sessionId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Restored watches: {Data} data, {Exist} exist, {Child} child since zxid 0x{Zxid:x} in {Batches} SetWatches packets")]
    private static partial void LogWatchesRestored(ILogger logger, int data, int exist, int child, long zxid, int batches);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Closing the ZooKeeper session cleanly failed")]
    private static partial void LogCloseFailed(ILogger logger, Exception exception);
}
