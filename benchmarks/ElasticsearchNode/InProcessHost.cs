using System.Globalization;
using Cloud.ElasticsearchNode.Hosting;
using Cloud.Testing;
using Microsoft.AspNetCore.Builder;

namespace Cloud.ElasticsearchNode.Benchmarks;

/// <summary>The node's own web host in this process (no container, no Docker network): for finding where bulk time goes.</summary>
internal sealed class InProcessHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _dataPath;

    private InProcessHost(WebApplication app, string dataPath, int port)
    {
        _app = app;
        _dataPath = dataPath;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromMinutes(5) };
    }

    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<InProcessHost> StartAsync(string heapOptions)
    {
        var dataPath = Path.Combine(Path.GetTempPath(), "es-bench-" + Guid.NewGuid().ToString("N")[..8]);
        var port = FreePorts.Next();
        var settings = NodeSettings.FromVariables(new Dictionary<string, string>
        {
            ["node.name"] = "bench",
            ["cluster.name"] = "bench",
            ["http.port"] = port.ToString(CultureInfo.InvariantCulture),
            ["network.host"] = "127.0.0.1",
            ["path.data"] = dataPath,
            ["ES_JAVA_OPTS"] = heapOptions,
        });
        var app = NodeHost.Build(settings, [], logging => { });
        await app.StartAsync();
        return new InProcessHost(app, dataPath, port);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(_dataPath, recursive: true);
    }
}
