using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Cloud.ElasticsearchNode;
using Cloud.ElasticsearchNode.Hosting;
using Cloud.Testing;
using Microsoft.AspNetCore.Builder;

namespace Cloud.ElasticsearchNode.Tests.Harness;

/// <summary>The node's real web host, started in this process on a free loopback port with its own data folder.</summary>
public sealed class InProcessNode : IAsyncDisposable
{
    private readonly WebApplication _app;
    private bool _stopped;

    private InProcessNode(WebApplication app, string dataPath, int port)
    {
        _app = app;
        DataPath = dataPath;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(60) };
    }

    public string DataPath { get; }

    public HttpClient Http { get; }

    /// <summary>The host's services, for tests that look inside the node (its cluster state, its shards).</summary>
    internal IServiceProvider Services => _app.Services;

    /// <param name="pathRepo">The node's <c>path.repo</c> (where <c>fs</c> snapshot repositories may live), or none.</param>
    /// <param name="settings">More node settings (e.g. discovery), added to the defaults.</param>
    public static async Task<InProcessNode> StartAsync(string? dataPath = null, string? pathRepo = null, IReadOnlyDictionary<string, string>? settings = null)
    {
        dataPath ??= Path.Combine(Path.GetTempPath(), "es1-node-" + Guid.NewGuid().ToString("N")[..8]);
        var port = FreePorts.Next();
        var variables = new Dictionary<string, string>
        {
            ["node.name"] = "test-node",
            ["cluster.name"] = "test-cluster",
            ["http.port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["network.host"] = "127.0.0.1",
            ["path.data"] = dataPath,
        };
        if (pathRepo is not null)
        {
            variables["path.repo"] = pathRepo;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            variables[key] = value;
        }

        var app = NodeHost.Build(NodeSettings.FromVariables(variables), [], logging => { });
        await app.StartAsync();
        return new InProcessNode(app, dataPath, port);
    }

    public async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(HttpMethod method, string path, object? body = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            var text = body as string ?? (body is JsonNode node ? node.ToJsonString() : System.Text.Json.JsonSerializer.Serialize(body));
            request.Content = new StringContent(text, Encoding.UTF8);
            request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        }

        using var response = await Http.SendAsync(request);
        var content = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, content.Length == 0 ? null : content.StartsWith('{') || content.StartsWith('[') ? JsonNode.Parse(content) : JsonValue.Create(content));
    }

    public Task<(HttpStatusCode Status, JsonNode? Body)> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    public Task<(HttpStatusCode Status, JsonNode? Body)> PutAsync(string path, object? body = null) => SendAsync(HttpMethod.Put, path, body);

    public Task<(HttpStatusCode Status, JsonNode? Body)> PostAsync(string path, object? body = null) => SendAsync(HttpMethod.Post, path, body);

    public Task<(HttpStatusCode Status, JsonNode? Body)> DeleteAsync(string path) => SendAsync(HttpMethod.Delete, path);

    public Task<(HttpStatusCode Status, JsonNode? Body)> BulkAsync(string path, IEnumerable<string> lines) =>
        SendAsync(HttpMethod.Post, path, string.Join('\n', lines) + "\n", "application/x-ndjson");

    /// <summary>Stops the host (flushing its shards, as a clean shutdown does) but keeps the data folder.</summary>
    public async Task StopAsync()
    {
        // Stop then dispose, as the process does on SIGTERM: both must complete cleanly.
        _stopped = true;
        await _app.StopAsync();
        await _app.DisposeAsync();
        Http.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopped)
        {
            await StopAsync();
        }

        try
        {
            Directory.Delete(DataPath, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder.
        }
    }
}
