using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Cloud.EndToEnd.Tests.Platform;

/// <summary>An application's view of its cluster: Elasticsearch's REST API through the platform's proxy, addressed by cluster id.</summary>
public sealed class ClusterClient : IDisposable
{
    private readonly HttpClient _http;

    public ClusterClient(int proxyPort, string clusterId, bool useHostName = false)
    {
        ClusterId = clusterId;
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(30) };
        _http = new HttpClient(handler) { BaseAddress = new Uri($"http://127.0.0.1:{proxyPort}"), Timeout = TimeSpan.FromSeconds(30) };
        if (useHostName)
        {
            _http.DefaultRequestHeaders.Host = $"{clusterId}.localhost:{proxyPort}";
        }
        else
        {
            _http.DefaultRequestHeaders.Add("X-Found-Cluster", clusterId);
        }
    }

    public string ClusterId { get; }

    public async Task<EsResponse> SendAsync(HttpMethod method, string path, string? body = null, string contentType = "application/json", CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, contentType);
        }

        using var response = await _http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        response.Headers.TryGetValues("X-Found-Handling-Instance", out var instances);
        return new EsResponse(response.StatusCode, text, instances?.FirstOrDefault());
    }

    public Task<EsResponse> GetAsync(string path, CancellationToken cancellationToken = default) => SendAsync(HttpMethod.Get, path, cancellationToken: cancellationToken);

    public async Task<long> CountAsync(string index, CancellationToken cancellationToken = default)
    {
        var response = await GetAsync($"/{index}/_count", cancellationToken);
        response.EnsureOk();
        return response.Json["count"]!.GetValue<long>();
    }

    public async Task BulkIndexAsync(string index, int from, int count, CancellationToken cancellationToken = default)
    {
        var body = new StringBuilder();
        for (var i = from; i < from + count; i++)
        {
            body.Append("{\"index\":{\"_id\":\"").Append(i).Append("\"}}\n");
            body.Append("{\"n\":").Append(i).Append(",\"title\":\"document number ").Append(i).Append("\",\"tag\":\"").Append(i % 2 == 0 ? "even" : "odd").Append("\"}\n");
        }

        var response = await SendAsync(HttpMethod.Post, $"/{index}/_bulk?refresh=true", body.ToString(), "application/x-ndjson", cancellationToken);
        response.EnsureOk();
        if (response.Json["errors"]!.GetValue<bool>())
        {
            throw new InvalidOperationException("bulk had item errors: " + response.Text[..Math.Min(2000, response.Text.Length)]);
        }
    }

    public void Dispose() => _http.Dispose();
}

public sealed record EsResponse(HttpStatusCode Status, string Text, string? HandlingInstance)
{
    public JsonNode Json => JsonNode.Parse(Text) ?? throw new InvalidOperationException("empty body");

    public void EnsureOk()
    {
        if ((int)Status >= 300)
        {
            throw new HttpRequestException($"{(int)Status}: {Text}", null, Status);
        }
    }

    public override string ToString() => $"{(int)Status} via {HandlingInstance}: {Text}";
}
