using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Cloud.EndToEnd.Tests.Platform;

/// <summary>The constructor's public REST API (DESIGN.md), spoken as any user's script would: JSON over HTTP.</summary>
public sealed class PlatformApi : IDisposable
{
    private readonly HttpClient _http;
    private readonly Func<Uri> _baseAddress;

    /// <param name="baseAddress">Asked before every call: the constructor answering may change when one is killed.</param>
    public PlatformApi(Func<Uri> baseAddress, string? apiKey)
    {
        _baseAddress = baseAddress;
        _http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        if (apiKey is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("ApiKey", apiKey);
        }
    }

    public Task<ApiResponse> CreateClusterAsync(string name, JsonObject plan, bool validateOnly = false) =>
        SendAsync(HttpMethod.Post, "/api/v1/clusters/elasticsearch" + (validateOnly ? "?validate_only=true" : string.Empty), new JsonObject { ["cluster_name"] = name, ["plan"] = plan });

    public Task<ApiResponse> SubmitPlanAsync(string clusterId, JsonObject plan) =>
        SendAsync(HttpMethod.Post, $"/api/v1/clusters/elasticsearch/{clusterId}/plan", plan);

    public Task<ApiResponse> GetClusterAsync(string clusterId) =>
        SendAsync(HttpMethod.Get, $"/api/v1/clusters/elasticsearch/{clusterId}");

    public Task<ApiResponse> ListClustersAsync() => SendAsync(HttpMethod.Get, "/api/v1/clusters/elasticsearch");

    public Task<ApiResponse> ActivityAsync(string clusterId) =>
        SendAsync(HttpMethod.Get, $"/api/v1/clusters/elasticsearch/{clusterId}/plan/activity");

    public Task<ApiResponse> ShutdownAsync(string clusterId) =>
        SendAsync(HttpMethod.Post, $"/api/v1/clusters/elasticsearch/{clusterId}/_shutdown");

    public Task<ApiResponse> DeleteClusterAsync(string clusterId) =>
        SendAsync(HttpMethod.Delete, $"/api/v1/clusters/elasticsearch/{clusterId}");

    public Task<ApiResponse> PutOverrideAsync(string clusterId, string overrideId, JsonObject body) =>
        SendAsync(HttpMethod.Put, $"/api/v1/clusters/elasticsearch/{clusterId}/routing/overrides/{overrideId}", body);

    public Task<ApiResponse> DeleteOverrideAsync(string clusterId, string overrideId) =>
        SendAsync(HttpMethod.Delete, $"/api/v1/clusters/elasticsearch/{clusterId}/routing/overrides/{overrideId}");

    public Task<ApiResponse> RoutingAsync(string clusterId) =>
        SendAsync(HttpMethod.Get, $"/api/v1/clusters/elasticsearch/{clusterId}/routing");

    public Task<ApiResponse> AllocatorsAsync() => SendAsync(HttpMethod.Get, "/api/v1/platform/infrastructure/allocators");

    public async Task<ApiResponse> SendAsync(HttpMethod method, string path, JsonNode? body = null, string? rawBody = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(_baseAddress(), path));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        else if (rawBody is not null)
        {
            request.Content = new StringContent(rawBody, Encoding.UTF8, "application/json");
        }

        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new ApiResponse(response.StatusCode, text, text.Length > 0 && (text[0] == '{' || text[0] == '[') ? JsonNode.Parse(text) : null);
    }

    public void Dispose() => _http.Dispose();
}

public sealed record ApiResponse(HttpStatusCode Status, string Text, JsonNode? Json)
{
    public JsonNode Body => Json ?? throw new InvalidOperationException($"not JSON ({(int)Status}): {Text}");

    public override string ToString() => $"{(int)Status} {Text}";
}
