using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Threading.Channels;
using Cloud.ZooKeeper.Jute;
using Cloud.ZooKeeper.Protocol;
using Microsoft.Extensions.Logging;

namespace Cloud.ZooKeeper.Session;

/// <summary>
/// One TCP connection of a session after a successful handshake: a send loop that batches queued
/// frames into few writes, a receive loop that matches replies to requests by xid, and a ping loop
/// that keeps the session alive and notices a silent server.
/// </summary>
internal sealed partial class Connection : IAsyncDisposable
{
    private static readonly byte[] PingFrame = BuildPing();

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly FrameReader _reader;
    private readonly ZooKeeperSession _session;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeSpan _pingInterval;
    private readonly TimeSpan _readTimeout;
    private readonly ConcurrentQueue<PendingRequest> _pending = new();
    private readonly ConcurrentQueue<TaskCompletionSource?> _authReplies = new();
    private long _lastSend;
    private long _lastReceive;

    public Connection(Socket socket, NetworkStream stream, FrameReader reader, ZooKeeperSession session, TimeSpan negotiatedTimeout, TimeProvider time, ILogger logger)
    {
        _socket = socket;
        _stream = stream;
        _reader = reader;
        _session = session;
        _time = time;
        _logger = logger;
        _pingInterval = negotiatedTimeout / 3;
        _readTimeout = negotiatedTimeout * 2 / 3;
        _lastSend = _lastReceive = time.GetTimestamp();
    }

    public HostEndpoint? Host { get; init; }

    /// <summary>Writes a frame before the loops start (auth and SetWatches after the handshake).</summary>
    public async Task WriteDirectAsync(byte[] buffer, int length, bool expectAuthReply, CancellationToken cancellationToken)
    {
        if (expectAuthReply)
        {
            _authReplies.Enqueue(null);
        }

        await _stream.WriteAsync(buffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs until the connection fails or <paramref name="cancellationToken"/> fires; returns the failure.</summary>
    public async Task<Exception?> RunAsync(ChannelReader<OutgoingPacket> outgoing, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var send = Task.Run(() => SendLoopAsync(outgoing, cts.Token), CancellationToken.None);
        var receive = Task.Run(() => ReceiveLoopAsync(cts.Token), CancellationToken.None);
        var ping = PingLoopAsync(cts.Token);
        var first = await Task.WhenAny(send, receive, ping).ConfigureAwait(false);
        var failure = first.Exception?.GetBaseException();
        await cts.CancelAsync().ConfigureAwait(false);
        Abort();
        await Task.WhenAll(send, receive, ping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        return failure ?? (cancellationToken.IsCancellationRequested ? null : new EndOfStreamException("The connection ended."));
    }

    /// <summary>Fails every request still waiting for a reply on this connection.</summary>
    public void FailPending(Func<PendingRequest, Exception> error)
    {
        while (_pending.TryDequeue(out var pending))
        {
            pending.Fail(error(pending));
        }

        while (_authReplies.TryDequeue(out var auth))
        {
            auth?.TrySetException(new ConnectionLossException("The connection was lost before the server answered the auth request."));
        }
    }

    public void Abort()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }

        _socket.Close();
    }

    public ValueTask DisposeAsync()
    {
        Abort();
        return _stream.DisposeAsync();
    }

    private async Task SendLoopAsync(ChannelReader<OutgoingPacket> outgoing, CancellationToken cancellationToken)
    {
        var batch = new byte[64 * 1024];
        while (await outgoing.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var used = 0;
            while (outgoing.TryRead(out var packet))
            {
                if (packet.Pending is { } pending)
                {
                    if (pending.IsCompleted)
                    {
                        packet.Release();
                        continue;
                    }

                    pending.Xid = _session.NextXid();
                    BinaryPrimitives.WriteInt32BigEndian(packet.Buffer.AsSpan(RequestFrame.XidOffset), pending.Xid);
                    pending.Sent = true;
                    _pending.Enqueue(pending);
                }
                else if (packet.IsAuth)
                {
                    _authReplies.Enqueue(packet.AuthCompletion);
                }

                try
                {
                    if (used + packet.Length > batch.Length && used > 0)
                    {
                        await _stream.WriteAsync(batch.AsMemory(0, used), cancellationToken).ConfigureAwait(false);
                        used = 0;
                    }

                    if (packet.Length > batch.Length)
                    {
                        await _stream.WriteAsync(packet.Buffer.AsMemory(0, packet.Length), cancellationToken).ConfigureAwait(false);
                    }
                    else
                    {
                        packet.Buffer.AsSpan(0, packet.Length).CopyTo(batch.AsSpan(used));
                        used += packet.Length;
                    }
                }
                finally
                {
                    packet.Release();
                }

                if (used > batch.Length / 2)
                {
                    break;
                }
            }

            if (used > 0)
            {
                await _stream.WriteAsync(batch.AsMemory(0, used), cancellationToken).ConfigureAwait(false);
            }

            Volatile.Write(ref _lastSend, _time.GetTimestamp());
        }
    }

    private async Task ReceiveLoopAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var frame = await _reader.ReadFrameAsync(cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _lastReceive, _time.GetTimestamp());
            HandleFrame(frame.Span);
        }
    }

    private void HandleFrame(ReadOnlySpan<byte> frame)
    {
        var reader = new JuteReader(frame);
        var header = ReplyHeader.Read(ref reader);
        switch (header.Xid)
        {
            case Xids.Ping:
                return;
            case Xids.Notification:
                _session.OnNotification(WatcherEvent.Read(ref reader));
                return;
            case Xids.SetWatches:
                if (header.Err != ErrorCode.Ok)
                {
                    LogSetWatchesFailed(_logger, header.Err);
                }

                return;
            case Xids.Auth:
                _authReplies.TryDequeue(out var auth);
                if (header.Err == ErrorCode.Ok)
                {
                    auth?.TrySetResult();
                }
                else
                {
                    LogAuthFailed(_logger, header.Err);
                    auth?.TrySetException(ZooKeeperErrors.Create(header.Err, null, "The server refused the authentication data."));
                }

                return;
            default:
                break;
        }

        if (header.Zxid > 0)
        {
            _session.OnZxid(header.Zxid);
        }

        if (!_pending.TryDequeue(out var pending))
        {
            throw new IOException($"Received a reply with xid {header.Xid} but no request is outstanding.");
        }

        if (pending.Xid != header.Xid)
        {
            pending.Fail(new ConnectionLossException(pending.Path, $"Reply xid {header.Xid} does not match request xid {pending.Xid}; dropping the connection."));
            throw new IOException($"Reply xid {header.Xid} out of order; expected {pending.Xid}.");
        }

        pending.Complete(header, ref reader, _session.Watches);
    }

    private async Task PingLoopAsync(CancellationToken cancellationToken)
    {
        var tick = _pingInterval / 4;
        while (true)
        {
            await Task.Delay(tick, _time, cancellationToken).ConfigureAwait(false);
            var now = _time.GetTimestamp();
            var silent = _time.GetElapsedTime(Volatile.Read(ref _lastReceive), now);
            if (silent > _readTimeout)
            {
                LogServerSilent(_logger, Host?.ToString(), silent.TotalMilliseconds);
                throw new TimeoutException($"No reply from {Host} for {silent.TotalMilliseconds:F0} ms.");
            }

            if (_time.GetElapsedTime(Volatile.Read(ref _lastSend), now) >= _pingInterval)
            {
                Volatile.Write(ref _lastSend, now);
                _session.EnqueuePing(PingFrame);
            }
        }
    }

    private static byte[] BuildPing()
    {
        using var writer = RequestFrame.Start(OpCode.Ping, Xids.Ping, 16);
        var (buffer, length) = writer.DetachFrame();
        return buffer.AsSpan(0, length).ToArray();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "ZooKeeper server {Host} silent for {SilentMs} ms; dropping the connection")]
    private static partial void LogServerSilent(ILogger logger, string? host, double silentMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "ZooKeeper refused to restore watches: {Error}")]
    private static partial void LogSetWatchesFailed(ILogger logger, ErrorCode error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "ZooKeeper refused authentication: {Error}")]
    private static partial void LogAuthFailed(ILogger logger, ErrorCode error);
}
