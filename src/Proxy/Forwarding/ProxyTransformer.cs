using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Forwarder;

namespace Cloud.Proxy.Forwarding;

/// <summary>
/// YARP's default copy of headers (which already drops the standard hop-by-hop ones) plus the headers a
/// client names in <c>Connection</c>, which are hop-by-hop too (RFC 9110 §7.6.1). Everything else,
/// Elasticsearch's headers and media types included, passes untouched.
/// </summary>
internal sealed class ProxyTransformer : HttpTransformer
{
    public static ProxyTransformer Instance { get; } = new();

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        var connection = httpContext.Request.Headers.Connection;
        if (connection.Count == 0)
        {
            return;
        }

        foreach (var value in connection)
        {
            foreach (var token in (value ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                proxyRequest.Headers.Remove(token);
                proxyRequest.Content?.Headers.Remove(token);
            }
        }
    }

    public override ValueTask<bool> TransformResponseAsync(HttpContext httpContext, HttpResponseMessage? proxyResponse, CancellationToken cancellationToken)
    {
        var result = base.TransformResponseAsync(httpContext, proxyResponse, cancellationToken);
        if (proxyResponse is not null && proxyResponse.Headers.Connection.Count > 0)
        {
            foreach (var token in proxyResponse.Headers.Connection)
            {
                if (!string.Equals(token, "close", StringComparison.OrdinalIgnoreCase) && !string.Equals(token, "keep-alive", StringComparison.OrdinalIgnoreCase))
                {
                    httpContext.Response.Headers.Remove(token);
                }
            }

            httpContext.Response.Headers.Remove(HeaderNames.Connection);
        }

        return result;
    }
}
