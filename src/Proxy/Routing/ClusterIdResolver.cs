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

    /// <param name="clusterHeader">
    /// The header's values joined by commas. A client may send the header more than once: npm's
    /// @elastic/elasticsearch 9 sends a header given to its constructor both as written and lower-cased
    /// (<c>X-Found-Cluster: c1</c> and <c>x-found-cluster: c1</c>), which arrives as <c>c1,c1</c>.
    /// </param>
    /// <param name="conflicting">Set when the header repeats with different cluster ids: the request names no one cluster.</param>
    /// <returns>The cluster id, or an empty span when the request names none (or conflicting ones).</returns>
    public ReadOnlySpan<char> Resolve(ReadOnlySpan<char> clusterHeader, ReadOnlySpan<char> host, out bool conflicting)
    {
        conflicting = false;
        var header = clusterHeader.Trim();
        if (header.IsEmpty)
        {
            return FromHost(host);
        }

        var comma = header.IndexOf(',');
        if (comma < 0)
        {
            return header;
        }

        // Repeated values must all name the same cluster; an empty one (", c1") is ignored.
        ReadOnlySpan<char> id = [];
        foreach (var range in header.Split(','))
        {
            var value = header[range].Trim();
            if (value.IsEmpty)
            {
                continue;
            }

            if (id.IsEmpty)
            {
                id = value;
            }
            else if (!id.SequenceEqual(value))
            {
                conflicting = true;
                return [];
            }
        }

        return id.IsEmpty ? FromHost(host) : id;
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
