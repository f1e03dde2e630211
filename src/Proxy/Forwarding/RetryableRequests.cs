using Microsoft.AspNetCore.Http;

namespace Cloud.Proxy.Forwarding;

/// <summary>
/// Requests safe to send again to another instance after a failed connection: GET, HEAD and
/// Elasticsearch's read-only POSTs (<c>_search</c>, <c>_count</c>, <c>_mget</c>, <c>_msearch</c>).
/// </summary>
internal static class RetryableRequests
{
    private static readonly string[] ReadOnlyPostEndpoints = ["_search", "_count", "_mget", "_msearch"];
    private static readonly byte[][] ReadOnlyPostEndpointBytes = [.. ReadOnlyPostEndpoints.Select(e => System.Text.Encoding.ASCII.GetBytes(e))];

    public static bool IsRetryable(HttpRequest request) =>
        HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || IsReadOnlyPost(request);

    /// <summary>A read-only POST: its body is buffered so it can be sent twice.</summary>
    public static bool IsReadOnlyPost(HttpRequest request)
    {
        if (!HttpMethods.IsPost(request.Method))
        {
            return false;
        }

        var path = request.Path.Value.AsSpan().TrimEnd('/');
        var last = path[(path.LastIndexOf('/') + 1)..];
        foreach (var endpoint in ReadOnlyPostEndpoints)
        {
            if (last.Equals(endpoint, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The same rule on a raw request line (the fast path): <paramref name="path"/> without its query.</summary>
    public static bool IsRetryable(ReadOnlySpan<byte> method, ReadOnlySpan<byte> path) =>
        method.SequenceEqual("GET"u8) || method.SequenceEqual("HEAD"u8) || IsReadOnlyPost(method, path);

    public static bool IsReadOnlyPost(ReadOnlySpan<byte> method, ReadOnlySpan<byte> path)
    {
        if (!method.SequenceEqual("POST"u8))
        {
            return false;
        }

        path = path.TrimEnd((byte)'/');
        var last = path[(path.LastIndexOf((byte)'/') + 1)..];
        foreach (var endpoint in ReadOnlyPostEndpointBytes)
        {
            if (last.SequenceEqual(endpoint))
            {
                return true;
            }
        }

        return false;
    }
}
