using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Cloud.Testing;

/// <summary>
/// Hands out loopback ports nobody listens on, never the same one twice in a test run, and never one
/// from the kernel's ephemeral range (<c>/proc/sys/net/ipv4/ip_local_port_range</c>): the kernel hands
/// those to outgoing connections, so a probe of a stopped server's port could be answered by a loopback
/// self-connect, and a server could find its port taken by a client socket.
/// </summary>
public static class FreePorts
{
    /// <summary>Below this are ports services conventionally own.</summary>
    private const int Lowest = 10000;

    private static readonly HashSet<int> Issued = [];
    private static readonly Lock Gate = new();

    /// <summary>The kernel's ephemeral range, inclusive (Linux's default when it cannot be read).</summary>
    public static (int Low, int High) EphemeralRange { get; } = ReadEphemeralRange();

    public static int Next()
    {
        lock (Gate)
        {
            var (low, high) = EphemeralRange;
            var below = Math.Max(0, low - Lowest);
            var above = Math.Max(0, 65535 - high);
            if (below + above == 0)
            {
                throw new InvalidOperationException($"the ephemeral port range {low}-{high} leaves no port to hand out");
            }

            while (true)
            {
                var pick = Random.Shared.Next(below + above);
                var port = pick < below ? Lowest + pick : high + 1 + (pick - below);
                if (Issued.Contains(port) || !IsFree(port))
                {
                    continue;
                }

                Issued.Add(port);
                return port;
            }
        }
    }

    /// <summary>
    /// A block of consecutive ports below the ephemeral range, none handed out before in this run and
    /// none listened on now: for a simulated host's instances (an allocator's <c>PortRange</c>).
    /// </summary>
    /// <returns>The block's first port.</returns>
    public static int NextRange(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        lock (Gate)
        {
            var (low, _) = EphemeralRange;
            var blocks = (low - Lowest) / count;
            if (blocks < 1)
            {
                throw new InvalidOperationException($"no block of {count} ports fits below the ephemeral range starting at {low}");
            }

            for (var attempt = 0; attempt < blocks * 4; attempt++)
            {
                var first = Lowest + (Random.Shared.Next(blocks) * count);
                var ports = Enumerable.Range(first, count);
                if (ports.Any(Issued.Contains) || !ports.All(IsFree))
                {
                    continue;
                }

                Issued.UnionWith(ports);
                return first;
            }

            throw new InvalidOperationException($"no free block of {count} ports below {low}");
        }
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static (int Low, int High) ReadEphemeralRange()
    {
        try
        {
            var parts = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            return (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return (32768, 60999);
        }
    }
}
