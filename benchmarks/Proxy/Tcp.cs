using System.Net.Sockets;

namespace Cloud.Proxy.Benchmarks;

internal static class Tcp
{
    public static async Task WaitListeningAsync(int port, TimeSpan timeout, Func<string?>? failed = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                if (failed?.Invoke() is { } reason)
                {
                    throw new InvalidOperationException(reason);
                }

                await Task.Delay(50);
            }
        }
    }
}
