using System.Collections.Immutable;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cloud.Cli.Api;

/// <summary>The constructor's REST API (DESIGN.md): JSON in and out, <c>Authorization: ApiKey</c> when a key is set.</summary>
public sealed class CloudApiClient(HttpClient http, Uri apiUrl, string? apiKey)
{
    public Uri ApiUrl { get; } = apiUrl;

    public Task<JsonElement> GetAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, path, null, cancellationToken);

    public Task<JsonElement> PostAsync(string path, JsonNode? body, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, path, body, cancellationToken);

    public Task<JsonElement> PutAsync(string path, JsonNode? body, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, path, body, cancellationToken);

    public Task<JsonElement> DeleteAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Delete, path, null, cancellationToken);

    /// <summary>Sends one request; the parsed body on success (an empty object for an empty body).</summary>
    /// <exception cref="ApiException">The API answered with an error status.</exception>
    /// <exception cref="ApiUnreachableException">No answer.</exception>
    public async Task<JsonElement> SendAsync(HttpMethod method, string path, JsonNode? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(ApiUrl, path.TrimStart('/')));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (!string.IsNullOrEmpty(apiKey))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("ApiKey", apiKey);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        }

        string text;
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
            text = await response.Content.ReadAsStringAsync(cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new ApiUnreachableException(ApiUrl, ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ApiUnreachableException(ApiUrl, new TimeoutException($"no answer within {http.Timeout.TotalSeconds:F0} s", ex));
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new ApiException(response.StatusCode, ParseErrors(text), text);
            }

            return string.IsNullOrWhiteSpace(text) ? JsonDocument.Parse("{}").RootElement.Clone() : ParseBody(text);
        }
    }

    private static JsonElement ParseBody(string text)
    {
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    private static ImmutableArray<ApiErrorItem> ParseErrors(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array)
            {
                return [.. errors.EnumerateArray().Select(e => new ApiErrorItem(
                    Json.Text(e, "code") ?? "unknown", Json.Text(e, "message") ?? string.Empty, Json.Text(e, "field")))];
            }
        }
        catch (JsonException)
        {
            // Not the contract's error shape (a proxy in between, say): the raw body is shown instead.
        }

        return [];
    }
}
