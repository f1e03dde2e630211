using System.Net;

namespace Cloud.Proxy.Routing;

/// <summary>CIDR (<c>10.0.0.0/8</c>) or a bare address (a /32 or /128).</summary>
internal static class CidrParser
{
    public static bool TryParse(string? value, out IPNetwork network)
    {
        network = default;
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        var text = value.Trim();
        if (!text.Contains('/', StringComparison.Ordinal) && IPAddress.TryParse(text, out var address))
        {
            network = new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }

        return IPNetwork.TryParse(text, out network);
    }
}
