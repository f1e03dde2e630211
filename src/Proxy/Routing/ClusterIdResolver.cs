namespace Cloud.Proxy.Routing;

/// <summary>
/// Which cluster a request is for (DESIGN.md, proxy contract): <c>X-Found-Cluster: C</c>, or a Host of
/// <c>C.&lt;domain&gt;</c> on any port. Works on spans so the request path allocates nothing.
/// </summary>
internal sealed class ClusterIdResolver
{
    public const string ClusterHeader = "X-Found-Cluster";

    private readonly string _suffix;

    public ClusterIdResolver(string domain)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(domain);
        _suffix = "." + domain.Trim().Trim('.');
    }

    /// <returns>The cluster id, or an empty span when the request names none.</returns>
    public ReadOnlySpan<char> Resolve(ReadOnlySpan<char> clusterHeader, ReadOnlySpan<char> host)
    {
        var header = clusterHeader.Trim();
        if (!header.IsEmpty)
        {
            return header;
        }

        return FromHost(host);
    }

    public ReadOnlySpan<char> FromHost(ReadOnlySpan<char> host)
    {
        host = StripPort(host.Trim());
        if (host.EndsWith('.'))
        {
            host = host[..^1];
        }

        if (host.Length <= _suffix.Length || !host.EndsWith(_suffix, StringComparison.OrdinalIgnoreCase))
        {
            return [];
        }

        var id = host[..^_suffix.Length];

        // Only the label right before the domain names a cluster: a.b.localhost is not cluster "a.b".
        return id.Contains('.') ? [] : id;
    }

    private static ReadOnlySpan<char> StripPort(ReadOnlySpan<char> host)
    {
        if (host.StartsWith('['))
        {
            // An IPv6 literal never names a cluster.
            return [];
        }

        var colon = host.LastIndexOf(':');
        return colon < 0 ? host : host[..colon];
    }
}
