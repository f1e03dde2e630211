using System.Net;
using System.Net.Sockets;

namespace Cloud.ZooKeeper.Tests.Session;

/// <summary>
/// A loopback TCP proxy in front of a ZooKeeper server that can cut the client off (drop every
/// connection and refuse new ones) without touching the server, to test reconnects and expiry.
/// </summary>
internal sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _open = [];
    private readonly Lock _lock = new();
    private readonly Task _acceptLoop;
    private volatile bool _paused;
    private volatile bool _frozen;
    private long _bytesFromClients;

    public TcpProxy(int targetPort)
    {
        _targetPort = targetPort;
        _listener.Start();
        _acceptLoop = AcceptAsync();
    }

    public string ConnectString => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>Drops every connection and refuses new ones until <see cref="Resume"/>.</summary>
    public void Pause()
    {
        _paused = true;
        lock (_lock)
        {
            foreach (var socket in _open)
            {
                socket.Close();
            }

            _open.Clear();
        }
    }

    public void Resume() => _paused = false;

    /// <summary>Bytes received from clients so far (forwarded or, while frozen, held): shows a request left the client.</summary>
    public long BytesFromClients => Interlocked.Read(ref _bytesFromClients);

    /// <summary>Keeps connections open but forwards nothing (a silent network) until <see cref="Thaw"/>.</summary>
    public void Freeze() => _frozen = true;

    public void Thaw() => _frozen = false;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Pause();
        await _acceptLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptSocketAsync(_stop.Token);
            if (_paused)
            {
                client.Close();
                continue;
            }

            var server = new Socket(SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await server.ConnectAsync(IPAddress.Loopback, _targetPort, _stop.Token);
            }
            catch (SocketException)
            {
                client.Close();
                server.Close();
                continue;
            }

            lock (_lock)
            {
                _open.Add(client);
                _open.Add(server);
            }

            _ = PumpAsync(client, server, fromClient: true);
            _ = PumpAsync(server, client, fromClient: false);
        }
    }

    private async Task PumpAsync(Socket from, Socket to, bool fromClient)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None);
                if (read == 0)
                {
                    break;
                }

                if (fromClient)
                {
                    Interlocked.Add(ref _bytesFromClients, read);
                }

                while (_frozen)
                {
                    await Task.Delay(20);
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }

        from.Close();
        to.Close();
    }
}
