using System.Net;
using System.Net.Sockets;

namespace Cloud.Allocator.Ports;

/// <summary>Whether a host port is free right now on this machine: can it be bound.</summary>
internal static class PortAvailability
{
    public static bool IsBound(IPAddress address, int port)
    {
        try
        {
            using var listener = new TcpListener(address, port);
            listener.Start();
            listener.Stop();
            return false;
        }
        catch (SocketException)
        {
            return true;
        }
    }
}
