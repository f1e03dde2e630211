using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Cloud.ElasticsearchNode.Cluster.Transport;

/// <summary>
/// The node's transport: a listener that answers peers' requests with registered handlers, and one
/// pooled outbound connection per peer address. Every request has a deadline; a peer of another
/// cluster is refused at the handshake.
/// </summary>
internal sealed partial class TransportService : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Func<JsonElement, CancellationToken, Task<TransportReply>>> _handlers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task<OutboundConnection>>> _connections = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Task, byte> _inbound = new();
    private readonly CancellationTokenSource _stopping = new();
    private int _disposed;
    private static readonly JsonElement NullBody = JsonDocument.Parse("null").RootElement.Clone();
    private readonly TransportOptions _options;
    private readonly Func<TransportHandshake> _local;
    private readonly ILogger _logger;
    private TcpListener? _listener;
    private Task _acceptLoop = Task.CompletedTask;

    public TransportService(TransportOptions options, Func<TransportHandshake> local, ILogger logger)
    {
        _options = options;
        _local = local;
        _logger = logger;
    }

    public int BoundPort { get; private set; }

    public TransportOptions Options => _options;

    public void Register<TRequest, TResponse>(string action, Func<TRequest, CancellationToken, Task<TResponse>> handler)
    {
        _handlers[action] = async (body, ct) =>
        {
            var request = body.Deserialize<TRequest>(ClusterJson.Options) ?? throw new TransportException("illegal_argument_exception", $"[{action}] empty request");
            var response = await handler(request, ct).ConfigureAwait(false);
            return new TransportReply(JsonSerializer.SerializeToElement(response, ClusterJson.Options), null);
        };
    }

    /// <summary>
    /// A handler whose answer carries raw bytes beside its JSON (file chunks): they are written to the socket
    /// from the handler's buffer, which is disposed once sent. Callers use <see cref="SendForAttachmentAsync"/>.
    /// </summary>
    public void RegisterWithAttachment<TRequest, TResponse>(string action, Func<TRequest, CancellationToken, Task<(TResponse Response, TransportAttachment? Attachment)>> handler)
    {
        _handlers[action] = async (body, ct) =>
        {
            var request = body.Deserialize<TRequest>(ClusterJson.Options) ?? throw new TransportException("illegal_argument_exception", $"[{action}] empty request");
            var (response, attachment) = await handler(request, ct).ConfigureAwait(false);
            try
            {
                return new TransportReply(JsonSerializer.SerializeToElement(response, ClusterJson.Options), attachment);
            }
            catch
            {
                attachment?.Dispose();
                throw;
            }
        };
    }

    public void Start()
    {
        var address = _options.BindHost is "0.0.0.0" or "" ? IPAddress.Any : IPAddress.Parse(_options.BindHost);
        _listener = new TcpListener(address, _options.Port);
        _listener.Start(512);
        BoundPort = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptLoopAsync(_stopping.Token);
    }

    public async Task<TResponse> SendAsync<TRequest, TResponse>(string address, string action, TRequest request, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var (response, attachment) = await SendForAttachmentAsync<TRequest, TResponse>(address, action, request, timeout, cancellationToken).ConfigureAwait(false);
        attachment?.Dispose();
        return response;
    }

    /// <summary>A request to a handler registered with <see cref="RegisterWithAttachment"/>: the caller disposes the attachment (null when the answer had none).</summary>
    public async Task<(TResponse Response, TransportAttachment? Attachment)> SendForAttachmentAsync<TRequest, TResponse>(string address, string action, TRequest request, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var connection = await ConnectAsync(address, cancellationToken).ConfigureAwait(false);
        var reply = await connection.RequestAsync(action, JsonSerializer.SerializeToElement(request, ClusterJson.Options), timeout ?? _options.DefaultRequestTimeout, cancellationToken).ConfigureAwait(false);
        try
        {
            var response = reply.Body.Deserialize<TResponse>(ClusterJson.Options) ?? throw new TransportException($"[{action}] empty response");
            return (response, reply.Attachment);
        }
        catch
        {
            reply.Attachment?.Dispose();
            throw;
        }
    }

    /// <summary>An open, handshaken connection to <paramref name="address"/>; a broken one is replaced.</summary>
    public async Task<OutboundConnection> ConnectAsync(string address, CancellationToken cancellationToken)
    {
        while (true)
        {
            var lazy = _connections.GetOrAdd(address, a => new Lazy<Task<OutboundConnection>>(() => OutboundConnection.OpenAsync(a, _options, _local(), _stopping.Token)));
            OutboundConnection connection;
            try
            {
                connection = await lazy.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                _connections.TryRemove(new KeyValuePair<string, Lazy<Task<OutboundConnection>>>(address, lazy));
                throw;
            }

            if (!connection.IsClosed)
            {
                return connection;
            }

            if (_connections.TryRemove(new KeyValuePair<string, Lazy<Task<OutboundConnection>>>(address, lazy)))
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Drops the pooled connection, e.g. after the peer's cluster uuid became known.</summary>
    public async Task DisconnectAsync(string address)
    {
        if (_connections.TryRemove(address, out var lazy) && lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully)
        {
            await lazy.Value.Result.DisposeAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Disposed once by its node's stop and again by the container of services: the second is a no-op.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _stopping.Cancel();
        _listener?.Stop();
        await _acceptLoop.ConfigureAwait(false);
        foreach (var address in _connections.Keys.ToList())
        {
            await DisconnectAsync(address).ConfigureAwait(false);
        }

        await Task.WhenAll(_inbound.Keys).ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener!.AcceptTcpClientAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException ex)
            {
                LogAcceptFailed(ex.Message);
                continue;
            }

            client.NoDelay = true;
            var task = ServeAsync(client, stopping);
            _inbound.TryAdd(task, 0);
            _ = task.ContinueWith(t => _inbound.TryRemove(t, out _), TaskScheduler.Default);
        }
    }

    private async Task ServeAsync(TcpClient client, CancellationToken stopping)
    {
        await Task.Yield();
        using var _ = client;
        await using var stream = new FramedStream(client.GetStream(), _options.MaxFrameBytes);
        using var slots = new SemaphoreSlim(_options.MaxConcurrentHandlersPerConnection);
        using var connectionClosed = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var handlers = new List<Task>();
        try
        {
            var handshaken = false;
            while (!stopping.IsCancellationRequested)
            {
                if (await stream.ReadAsync(stopping).ConfigureAwait(false) is not { } frame)
                {
                    break;
                }

                // No handler takes raw bytes with a request (they come with answers only).
                frame.Attachment?.Dispose();
                var envelope = frame.Envelope;
                if (envelope.Kind != TransportEnvelopeKind.Request)
                {
                    break;
                }

                if (!handshaken)
                {
                    handshaken = await AnswerHandshakeAsync(stream, envelope, stopping).ConfigureAwait(false);
                    if (!handshaken)
                    {
                        break;
                    }

                    continue;
                }

                if (!await slots.WaitAsync(0, stopping).ConfigureAwait(false))
                {
                    await stream.WriteAsync(ErrorFor(envelope, TransportException.Rejected($"[{envelope.Action}] too many concurrent requests")), stopping).ConfigureAwait(false);
                    continue;
                }

                handlers.RemoveAll(t => t.IsCompleted);
                handlers.Add(HandleAsync(stream, envelope, slots, connectionClosed.Token));
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException or TransportException or JsonException or ObjectDisposedException)
        {
            // A peer going away is normal; its requests' answers are simply not delivered.
        }

        await connectionClosed.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(handlers).ConfigureAwait(false);
    }

    private async Task<bool> AnswerHandshakeAsync(FramedStream stream, TransportEnvelope envelope, CancellationToken stopping)
    {
        var local = _local();
        if (envelope.Action != TransportHandshake.Action || envelope.Body.Deserialize<TransportHandshake>(ClusterJson.Options) is not { } remote)
        {
            await stream.WriteAsync(ErrorFor(envelope, new TransportException("illegal_state_exception", "expected a handshake first")), stopping).ConfigureAwait(false);
            return false;
        }

        var refusal = local.RefusalFor(remote);
        if (refusal is not null)
        {
            LogHandshakeRefused(remote.NodeName, refusal);
            await stream.WriteAsync(ErrorFor(envelope, new TransportException("connect_transport_exception", refusal)), stopping).ConfigureAwait(false);
            return false;
        }

        await stream.WriteAsync(new TransportEnvelope(envelope.Id, TransportEnvelopeKind.Response, envelope.Action, JsonSerializer.SerializeToElement(local, ClusterJson.Options)), stopping).ConfigureAwait(false);
        return true;
    }

    private async Task HandleAsync(FramedStream stream, TransportEnvelope envelope, SemaphoreSlim slots, CancellationToken connectionClosed)
    {
        TransportEnvelope answer;
        TransportAttachment? attachment = null;
        try
        {
            if (!_handlers.TryGetValue(envelope.Action, out var handler))
            {
                throw new TransportException("action_not_found_transport_exception", $"No handler for action [{envelope.Action}]");
            }

            var reply = await handler(envelope.Body, connectionClosed).ConfigureAwait(false);
            attachment = reply.Attachment;
            answer = new TransportEnvelope(envelope.Id, TransportEnvelopeKind.Response, envelope.Action, reply.Body);
        }
        catch (Exception ex)
        {
            if (ex is not TransportException and not ClusterException and not Errors.ElasticsearchException)
            {
                LogHandlerFailed(ex, envelope.Action);
            }

            answer = ErrorFor(envelope, ex);
        }
        finally
        {
            slots.Release();
        }

        try
        {
            await stream.WriteAsync(answer, attachment is null ? ReadOnlyMemory<byte>.Empty : attachment.Memory, connectionClosed).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // The peer left; it will fail its own request.
        }
        finally
        {
            attachment?.Dispose();
        }
    }

    private static TransportEnvelope ErrorFor(TransportEnvelope request, Exception error)
    {
        var (type, status) = error switch
        {
            TransportException t => (t.Type, t.Status),
            ClusterException c => (c.Type, c.Status),
            Errors.ElasticsearchException e => (e.Type, e.Status),
            _ => ("exception", 500),
        };
        return new TransportEnvelope(request.Id, TransportEnvelopeKind.Error, request.Action, NullBody, new TransportError(type, error.Message, status));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "transport: accept failed: {Reason}")]
    private partial void LogAcceptFailed(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "transport: refused node [{Node}]: {Reason}")]
    private partial void LogHandshakeRefused(string node, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "transport: handler for [{Action}] failed")]
    private partial void LogHandlerFailed(Exception exception, string action);
}
