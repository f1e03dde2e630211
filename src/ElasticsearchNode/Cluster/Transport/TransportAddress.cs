using System.Globalization;

namespace Cloud.ElasticsearchNode.Cluster.Transport;

/// <summary><c>host:port</c> addresses as seed hosts and publish addresses write them.</summary>
internal static class TransportAddress
{
    public const int DefaultPort = 9300;

    public static (string Host, int Port) Parse(string address)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        var trimmed = address.Trim();
        var colon = trimmed.LastIndexOf(':');
        if (colon <= 0 || trimmed.StartsWith('[') && !trimmed.Contains("]:", StringComparison.Ordinal))
        {
            return (trimmed.Trim('[', ']'), DefaultPort);
        }

        var host = trimmed[..colon].Trim('[', ']');
        return int.TryParse(trimmed[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536
            ? (host, port)
            : throw new FormatException($"invalid transport address [{address}]");
    }

    public static string Format(string host, int port) => string.Create(CultureInfo.InvariantCulture, $"{host}:{port}");

    /// <summary>The address with the default port added when it has none.</summary>
    public static string Normalize(string address)
    {
        var (host, port) = Parse(address);
        return Format(host, port);
    }
}
