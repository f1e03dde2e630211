using System.Globalization;
using Cloud.Proxy.Routing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Cloud.Proxy.Tests.Integration;

/// <summary>The real proxy (Kestrel, YARP, ZooKeeper feed) in-process on a free port.</summary>
internal sealed class ProxyHost : IAsyncDisposable
{
    public const int SessionTimeoutSeconds = 4;

    private readonly WebApplication _app;

    private ProxyHost(WebApplication app, int port, string proxyId)
    {
        _app = app;
        Port = port;
        ProxyId = proxyId;
        Client = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30) }) { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        Admin = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public int Port { get; }

    public string ProxyId { get; }

    /// <summary>Requests for clusters: these connections stay on the proxy's fast path.</summary>
    public HttpClient Client { get; }

    /// <summary>
    /// The proxy's own endpoints (<c>/_health</c>): a connection that asks for one is handed to Kestrel for good, so
    /// they get connections of their own and the tests' cluster traffic keeps going through the fast path.
    /// </summary>
    public HttpClient Admin { get; }

    public RouteTable Routes => _app.Services.GetRequiredService<RouteTable>();

    public IServiceProvider Services => _app.Services;

    public async Task<Cloud.ZooKeeper.ConnectionState> ZooKeeperStateAsync() =>
        (await _app.Services.GetRequiredService<Shared.Hosting.ZooKeeperConnection>().GetClientAsync(CancellationToken.None)).State;

    public static async Task<ProxyHost> StartAsync(string connectString, IReadOnlyDictionary<string, string>? settings = null)
    {
        var port = Testing.FreePorts.Next();
        var proxyId = $"proxy-{Guid.NewGuid():N}"[..16];
        var all = new Dictionary<string, string>
        {
            ["urls"] = $"http://127.0.0.1:{port}",
            ["ZooKeeper:ConnectString"] = connectString,
            ["ZooKeeper:SessionTimeoutSeconds"] = SessionTimeoutSeconds.ToString(CultureInfo.InvariantCulture),
            ["ZooKeeper:RequestTimeoutSeconds"] = "5",
            ["Proxy:ProxyId"] = proxyId,
            ["Proxy:ProbeIntervalMilliseconds"] = "100",
            ["Proxy:ExpiryCheckMilliseconds"] = "50",
            ["Serilog:MinimumLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }

        var app = ProxyApplication.Build([.. all.Select(kv => $"--{kv.Key}={kv.Value}")]);
        await app.StartAsync();
        var host = new ProxyHost(app, port, proxyId);
        await Testing.Eventually.AssertAsync(
            async () => (await host.Admin.GetAsync(ProxyApplicationExtensions.ProxyHealthPath)).IsSuccessStatusCode,
            TimeSpan.FromSeconds(60),
            "the proxy to load its routes");
        return host;
    }

    /// <summary>A request for cluster <paramref name="clusterId"/> addressed by Host name.</summary>
    public HttpRequestMessage Request(HttpMethod method, string clusterId, string path)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Host = $"{clusterId}.localhost:{Port}";
        return request;
    }

    public Task<HttpResponseMessage> GetAsync(string clusterId, string path = "/") => Client.SendAsync(Request(HttpMethod.Get, clusterId, path));

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Admin.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
