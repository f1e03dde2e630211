using System.Net.Http;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Forwarder;

namespace Cloud.Proxy.Forwarding;

/// <summary>
/// YARP's default copy of headers (which already drops the standard hop-by-hop ones) plus the headers a
/// client or an instance names in <c>Connection</c>, which are hop-by-hop too (RFC 9110 §7.6.1). Everything
/// else, Elasticsearch's headers and media types included, passes untouched.
/// </summary>
/// <remarks>
/// Runs on every request, so it stays synchronous and reads <c>Connection</c> as raw text: the usual values
/// (<c>keep-alive</c>, <c>close</c>, which nginx and Elasticsearch send on every response) cost no allocation and
/// no header parsing. YARP drops the <c>Keep-Alive</c> and <c>Close</c> headers itself.
/// </remarks>
internal sealed class ProxyTransformer : HttpTransformer
{
    public static ProxyTransformer Instance { get; } = new();

    public override ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        var copied = base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        if (!copied.IsCompletedSuccessfully)
        {
            return RemoveAfterAsync(copied, httpContext, proxyRequest);
        }

        RemoveNamedInConnection(httpContext, proxyRequest);
        return default;
    }

    public override ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        var result = base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
        if (proxyResponse is not null && proxyResponse.Headers.NonValidated.TryGetValues(HeaderNames.Connection, out var connection))
        {
            var headers = httpContext.Response.Headers;
            foreach (var value in connection)
            {
                RemoveTokens(value, headers);
            }

            headers.Remove(HeaderNames.Connection);
        }

        return result;
    }

    private static async ValueTask RemoveAfterAsync(ValueTask copied, HttpContext httpContext, HttpRequestMessage proxyRequest)
    {
        await copied;
        RemoveNamedInConnection(httpContext, proxyRequest);
    }

    private static void RemoveNamedInConnection(HttpContext httpContext, HttpRequestMessage proxyRequest)
    {
        var connection = httpContext.Request.Headers.Connection;
        for (var i = 0; i < connection.Count; i++)
        {
            RemoveTokens(connection[i], proxyRequest.Headers, proxyRequest.Content?.Headers);
        }
    }

    private static void RemoveTokens(string? value, HttpHeaders headers, HttpHeaders? contentHeaders)
    {
        var rest = value.AsSpan();
        while (NextHeaderName(ref rest) is { IsEmpty: false } token)
        {
            var name = token.ToString();
            headers.Remove(name);
            contentHeaders?.Remove(name);
        }
    }

    private static void RemoveTokens(string? value, IHeaderDictionary headers)
    {
        var rest = value.AsSpan();
        while (NextHeaderName(ref rest) is { IsEmpty: false } token)
        {
            headers.Remove(token.ToString());
        }
    }

    /// <summary>
    /// The next comma-separated token of a <c>Connection</c> value that names a header to drop, skipping empty
    /// ones and <c>keep-alive</c> / <c>close</c> (connection options whose headers YARP never copies); empty when
    /// none is left.
    /// </summary>
    private static ReadOnlySpan<char> NextHeaderName(ref ReadOnlySpan<char> rest)
    {
        while (!rest.IsEmpty)
        {
            var comma = rest.IndexOf(',');
            var token = (comma < 0 ? rest : rest[..comma]).Trim();
            rest = comma < 0 ? [] : rest[(comma + 1)..];
            if (!token.IsEmpty
                && !token.Equals("keep-alive", StringComparison.OrdinalIgnoreCase)
                && !token.Equals("close", StringComparison.OrdinalIgnoreCase))
            {
                return token;
            }
        }

        return [];
    }
}
