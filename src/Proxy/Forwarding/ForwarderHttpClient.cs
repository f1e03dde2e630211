using System.Net;
using System.Net.Http;
using Microsoft.Extensions.Options;

namespace Cloud.Proxy.Forwarding;

/// <summary>
/// The one outbound HTTP client, tuned for proxying: no proxy, redirects, cookies, decompression or
/// trace-header injection; a short connect timeout so a dead instance fails fast.
/// </summary>
internal sealed class ForwarderHttpClient : IDisposable
{
    public ForwarderHttpClient(IOptions<ProxyOptions> options)
    {
        Invoker = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            EnableMultipleHttp2Connections = true,
            ActivityHeadersPropagator = null,
            ConnectTimeout = TimeSpan.FromMilliseconds(options.Value.ConnectTimeoutMilliseconds),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
        });
    }

    public HttpMessageInvoker Invoker { get; }

    public void Dispose() => Invoker.Dispose();
}
