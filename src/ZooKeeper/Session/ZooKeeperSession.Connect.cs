using System.Net.Sockets;
using Cloud.ZooKeeper.Jute;
using Cloud.ZooKeeper.Protocol;
using Microsoft.Extensions.Logging;

namespace Cloud.ZooKeeper.Session;

/// <summary>Connecting: the handshake, restoring auth and watches, closing a stale session.</summary>
internal sealed partial class ZooKeeperSession
{
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
            // A resumed session must not see older data than it saw; a new one starts from nothing, so that a
            // server restored from older data (or wiped) accepts it instead of refusing it forever.
            var lastZxid = credentials.SessionId == 0 ? 0 : Volatile.Read(ref _lastZxid);
            var request = new ConnectRequest(lastZxid, (int)_options.SessionTimeout.TotalMilliseconds, credentials.SessionId, credentials.Password);
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
        if (isNew)
        {
            // Zxids seen by the old session say nothing about this one (the server may be behind them).
            Volatile.Write(ref _lastZxid, 0);
        }

        _negotiatedTimeout = TimeSpan.FromMilliseconds(response.TimeoutMs);
        Volatile.Write(ref _credentials, new SessionCredentials(response.SessionId, response.Password));
        var connection = new Connection(socket, stream, reader, this, _negotiatedTimeout, _time, _logger) { Host = host };

        // The ping and read-timeout loops do not run yet: bound the restore so a link that freezes
        // right after the handshake cannot block the session forever.
        using var restoreTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        restoreTimeout.CancelAfter(_negotiatedTimeout * 2 / 3);
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
                    await connection.WriteDirectAsync(buffer, length, expectAuthReply: true, restoreTimeout.Token).ConfigureAwait(false);
                }
                finally
                {
                    System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
                }
            }

            if (!isNew)
            {
                await RestoreWatchesAsync(connection, restoreTimeout.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw new IOException($"{host} did not take the session's auth and watches within {(_negotiatedTimeout * 2 / 3).TotalSeconds:F1} s", ex);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        LogConnected(_logger, host, response.SessionId, response.TimeoutMs, isNew);
        bool closing;
        lock (_lock)
        {
            closing = _closing;
            if (!closing)
            {
                _state = ConnectionState.Connected;
                _connected.TrySetResult();
            }
        }

        if (closing)
        {
            // The client is being closed: a connection made meanwhile is not reported, just dropped.
            await connection.DisposeAsync().ConfigureAwait(false);
            throw new OperationCanceledException("The ZooKeeper client is closing.");
        }

        ConnectedServer = host;

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

        // SetWatches2 (3.6+) also carries the persistent watches; plain SetWatches keeps older servers working.
        var opCode = paths.HasPersistent ? OpCode.SetWatches2 : OpCode.SetWatches;
        var relativeZxid = Volatile.Read(ref _lastZxid);
        List<string>[] lists = [[], [], [], [], []];
        var batchBytes = 0;
        var batches = 0;
        async Task FlushAsync()
        {
            using var writer = RequestFrame.Start(opCode, Xids.SetWatches, batchBytes + 64);
            writer.WriteLong(relativeZxid);
            var count = opCode == OpCode.SetWatches2 ? 5 : 3;
            for (var i = 0; i < count; i++)
            {
                writer.WriteStringVector(lists[i]);
                lists[i].Clear();
            }

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
            batchBytes = 0;
        }

        IReadOnlyList<string>[] sources = [paths.Data, paths.Exist, paths.Child, paths.Persistent, paths.PersistentRecursive];
        for (var i = 0; i < sources.Length; i++)
        {
            foreach (var clientPath in sources[i])
            {
                var serverPath = ConnectString.ToServerPath(clientPath);
                if (batchBytes + serverPath.Length + 4 > SetWatchesBatchBytes)
                {
                    await FlushAsync().ConfigureAwait(false);
                }

                lists[i].Add(serverPath);
                batchBytes += serverPath.Length + 4;
            }
        }

        if (batchBytes > 0)
        {
            await FlushAsync().ConfigureAwait(false);
        }

        LogWatchesRestored(_logger, paths.Data.Count, paths.Exist.Count, paths.Child.Count, paths.Persistent.Count + paths.PersistentRecursive.Count, relativeZxid, batches);
    }

    private async Task TryCloseStaleSessionAsync(HostEndpoint host, SessionCredentials stale, CancellationToken cancellationToken)
    {
        try
        {
            await CloseStaleSessionAsync(host, stale, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogStaleCloseFailed(_logger, stale.SessionId, host, ex.Message);
        }
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
}
