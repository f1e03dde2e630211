using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Cloud.Proxy.Tests.Integration;

/// <summary>
/// An instance that answers with exactly the bytes a test gives it (framing, hop-by-hop headers, closes), which a
/// real HTTP server would not let a test choose. Reads request heads and Content-Length bodies; one reply per request.
/// </summary>
internal sealed class RawBackend : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly Func<string, RawReply> _reply;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private long _connections;
    private long _closed;

    public RawBackend(Func<string, RawReply> reply)
    {
        _reply = reply;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    /// <summary>Every request head received, in order.</summary>
    public ConcurrentQueue<string> Heads { get; } = new();

    public long Connections => Interlocked.Read(ref _connections);

    /// <summary>Connections that ended, by the proxy closing them or by this backend's own <see cref="RawReply.Close"/>.</summary>
    public long Closed => Interlocked.Read(ref _closed);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var socket = await _listener.AcceptSocketAsync(_stop.Token);
            Interlocked.Increment(ref _connections);
            _ = ServeAsync(socket);
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using var _ = socket;
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var reader = new RawReader(stream);
        try
        {
            while (await reader.ReadHeadAsync(_stop.Token) is { } head)
            {
                var length = RawReader.ContentLength(head);
                if (length > 0)
                {
                    await reader.ReadBytesAsync(length, _stop.Token);
                }

                Heads.Enqueue(head);
                var reply = _reply(head);
                await stream.WriteAsync(Encoding.ASCII.GetBytes(reply.Bytes), _stop.Token);
                if (reply.Close)
                {
                    // Lets the proxy read the whole reply first, as an instance's idle close would.
                    await Task.Delay(reply.CloseAfter, _stop.Token);
                    socket.Shutdown(SocketShutdown.Both);
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException)
        {
        }
        finally
        {
            Interlocked.Increment(ref _closed);
        }
    }
}

/// <param name="Bytes">The response, written as it is.</param>
/// <param name="Close">Close the connection after it (without saying so in the response unless Bytes does).</param>
/// <param name="CloseAfter">How long after the response the connection is closed.</param>
internal sealed record RawReply(string Bytes, bool Close = false, TimeSpan CloseAfter = default);
