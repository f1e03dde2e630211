using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text.Json;

namespace Cloud.ElasticsearchNode.Cluster.Transport;

/// <summary>
/// One connection from this node to a peer address, multiplexing any number of requests (bounded by
/// <see cref="TransportOptions.MaxPendingRequestsPerConnection"/>). When it breaks, every waiting
/// request fails with node_disconnected_exception and the owner drops it.
/// </summary>
internal sealed class OutboundConnection : IAsyncDisposable
{
    private readonly ConcurrentDictionary<long, TaskCompletionSource<TransportReply>> _pending = new();
    private readonly SemaphoreSlim _slots;
    private readonly CancellationTokenSource _closed = new();
    private readonly FramedStream _stream;
    private readonly TcpClient _client;
    private long _nextId;
    private int _disposed;
    private Task _reader = Task.CompletedTask;

    private OutboundConnection(string address, TcpClient client, TransportOptions options)
    {
        Address = address;
        _client = client;
        _stream = new FramedStream(client.GetStream(), options.MaxFrameBytes);
        _slots = new SemaphoreSlim(options.MaxPendingRequestsPerConnection);
    }

    public string Address { get; }

    public TransportHandshake? Remote { get; private set; }

    public bool IsClosed => _closed.IsCancellationRequested;

    public static async Task<OutboundConnection> OpenAsync(string address, TransportOptions options, TransportHandshake local, CancellationToken cancellationToken)
    {
        var (host, port) = TransportAddress.Parse(address);
        var client = new TcpClient { NoDelay = true };
        using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        connectTimeout.CancelAfter(options.ConnectTimeout);
        try
        {
            await client.ConnectAsync(host, port, connectTimeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or IOException && !cancellationToken.IsCancellationRequested)
        {
            client.Dispose();
            throw TransportException.Connect(address, ex);
        }

        var connection = new OutboundConnection(address, client, options);
        connection._reader = connection.ReadLoopAsync();
        try
        {
            var reply = await connection.RequestAsync(TransportHandshake.Action, JsonSerializer.SerializeToElement(local, ClusterJson.Options), options.ConnectTimeout, cancellationToken).ConfigureAwait(false);
            reply.Attachment?.Dispose();
            var remote = reply.Body.Deserialize<TransportHandshake>(ClusterJson.Options) ?? throw new TransportException("handshake returned nothing");
            var refusal = local.RefusalFor(remote);
            if (refusal is not null)
            {
                throw new TransportException("connect_transport_exception", refusal);
            }

            connection.Remote = remote;
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Sends a request and waits for its answer; the caller owns (disposes) the answer's attachment.</summary>
    public async Task<TransportReply> RequestAsync(string action, JsonElement body, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!await _slots.WaitAsync(0, cancellationToken).ConfigureAwait(false))
        {
            throw TransportException.Rejected($"[{Address}] has {_pending.Count} requests pending");
        }

        var id = Interlocked.Increment(ref _nextId);
        var answer = new TaskCompletionSource<TransportReply>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        try
        {
            if (IsClosed)
            {
                throw TransportException.Disconnected(Address);
            }

            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closed.Token);
            deadline.CancelAfter(timeout);
            try
            {
                await _stream.WriteAsync(new TransportEnvelope(id, TransportEnvelopeKind.Request, action, body), deadline.Token).ConfigureAwait(false);
                return await answer.Task.WaitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (answer.Task.IsCompleted)
            {
                // The answer (often an error frame just before the peer closed) beat the close.
                return await answer.Task.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw IsClosed ? TransportException.Disconnected(Address) : TransportException.Timeout(Address, action, timeout);
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException)
            {
                // The socket broke, or another caller disposed this pooled connection between our closed check and
                // the write: either way the peer is gone for this request, which callers count as a disconnect.
                await CloseAsync().ConfigureAwait(false);
                throw TransportException.Disconnected(Address);
            }
        }
        finally
        {
            _pending.TryRemove(id, out _);
            _slots.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Pooled and shared: the caller that finds it closed disposes it while others may still hold it.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await CloseAsync().ConfigureAwait(false);
        try
        {
            await _reader.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The reader's failure was already reported to every waiting request.
        }

        await _stream.DisposeAsync().ConfigureAwait(false);
        _client.Dispose();

        // _slots and _closed are deliberately not disposed: callers still holding this connection take and release
        // slots and link to _closed after disposal, and must get node_disconnected_exception from that, not an
        // ObjectDisposedException (which the fault detector did not count and which ended its loop). Neither holds an
        // unmanaged resource: no wait handle is ever asked of the semaphore, no timer is set on the source.
    }

    private Task CloseAsync()
    {
        if (!_closed.IsCancellationRequested)
        {
            _closed.Cancel();
            _client.Client.Close();
        }

        foreach (var (_, waiter) in _pending)
        {
            waiter.TrySetException(TransportException.Disconnected(Address));
        }

        return Task.CompletedTask;
    }

    private async Task ReadLoopAsync()
    {
        try
        {
            while (!_closed.IsCancellationRequested)
            {
                if (await _stream.ReadAsync(_closed.Token).ConfigureAwait(false) is not { } frame)
                {
                    break;
                }

                var (envelope, attachment) = frame;

                var delivered = false;
                if (_pending.TryGetValue(envelope.Id, out var waiter))
                {
                    if (envelope.Kind == TransportEnvelopeKind.Error)
                    {
                        var error = envelope.Error ?? new TransportError("transport_exception", "unknown remote error");
                        waiter.TrySetException(new TransportException(error.Type, error.Reason) { Status = error.Status });
                    }
                    else
                    {
                        delivered = waiter.TrySetResult(new TransportReply(envelope.Body, attachment));
                    }
                }

                if (!delivered)
                {
                    // Nobody waits for these bytes any more (the request timed out): back to the pool.
                    attachment?.Dispose();
                }
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException or TransportException or ObjectDisposedException or JsonException)
        {
            // Falls through to closing: every waiting request learns the connection is gone.
        }

        await CloseAsync().ConfigureAwait(false);
    }
}
