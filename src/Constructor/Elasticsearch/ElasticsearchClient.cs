using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cloud.Shared.Serialization;

namespace Cloud.Constructor.Elasticsearch;

/// <summary>
/// The constructor's typed Elasticsearch REST client, for the calls plans make. It talks to one node
/// directly (never through the proxy); timeouts and retries with backoff come from the HttpClient's
/// resilience pipeline. Error answers become <see cref="ElasticsearchException"/> and its subtypes.
/// </summary>
public sealed class ElasticsearchClient(HttpClient http, Uri node)
{
    private static readonly JsonSerializerOptions Json = CloudJson.Options;

    public Uri Node => node;

    public Task<ClusterHealth> GetHealthAsync(CancellationToken cancellationToken) =>
        SendAsync<ClusterHealth>(HttpMethod.Get, "_cluster/health", null, cancellationToken);

    public Task<LocalNode> GetLocalNodeAsync(CancellationToken cancellationToken) =>
        SendAsync<JsonElement>(HttpMethod.Get, "_nodes/_local", null, cancellationToken).ContinueWith(
            t =>
            {
                var nodes = t.Result.GetProperty("nodes");
                foreach (var entry in nodes.EnumerateObject())
                {
                    var name = entry.Value.TryGetProperty("name", out var n) ? n.GetString() ?? string.Empty : string.Empty;
                    var version = entry.Value.TryGetProperty("version", out var v) ? v.GetString() : null;
                    return new LocalNode(entry.Name, name, version);
                }

                throw new ElasticsearchException(200, null, "_nodes/_local listed no node");
            },
            cancellationToken,
            TaskContinuationOptions.OnlyOnRanToCompletion,
            TaskScheduler.Default);

    public Task<IReadOnlyList<CatNode>> GetNodesAsync(CancellationToken cancellationToken) =>
        SendAsync<IReadOnlyList<CatNode>>(HttpMethod.Get, "_cat/nodes?format=json&h=id,name,node.role,master&full_id=true", null, cancellationToken);

    public Task<IReadOnlyList<CatShard>> GetShardsAsync(CancellationToken cancellationToken) =>
        SendAsync<IReadOnlyList<CatShard>>(HttpMethod.Get, "_cat/shards?format=json&h=index,shard,prirep,state,node", null, cancellationToken);

    /// <summary>Sets persistent cluster settings; a null value resets the setting.</summary>
    public Task PutPersistentSettingsAsync(IReadOnlyDictionary<string, string?> settings, CancellationToken cancellationToken) =>
        SendAsync<JsonElement>(HttpMethod.Put, "_cluster/settings", new Dictionary<string, object> { ["persistent"] = settings }, cancellationToken);

    public Task<JsonElement> ExplainAllocationAsync(CancellationToken cancellationToken) =>
        SendAsync<JsonElement>(HttpMethod.Get, "_cluster/allocation/explain", null, cancellationToken);

    public Task AddVotingExclusionsAsync(IEnumerable<string> nodeNames, CancellationToken cancellationToken) =>
        SendAsync<JsonElement>(HttpMethod.Post, "_cluster/voting_config_exclusions?node_names=" + Uri.EscapeDataString(string.Join(',', nodeNames)), null, cancellationToken);

    /// <summary>
    /// Clears the voting configuration exclusions. With <paramref name="waitForRemoval"/> the node answers only once
    /// the excluded nodes have left the cluster (else 500 after a few seconds: ask again); clearing them while they
    /// are still there would let them back into the voting configuration just before they go.
    /// </summary>
    public Task ClearVotingExclusionsAsync(bool waitForRemoval, CancellationToken cancellationToken) =>
        SendAsync<JsonElement>(HttpMethod.Delete, waitForRemoval ? "_cluster/voting_config_exclusions?wait_for_removal=true&timeout=5s" : "_cluster/voting_config_exclusions?wait_for_removal=false", null, cancellationToken);

    /// <summary>Node shutdown API (<c>restart</c>, <c>remove</c> or <c>replace</c>), 7.15 and later.</summary>
    public Task PutNodeShutdownAsync(string nodeId, string type, string reason, CancellationToken cancellationToken) =>
        SendAsync<JsonElement>(HttpMethod.Put, $"_nodes/{Uri.EscapeDataString(nodeId)}/shutdown", new Dictionary<string, string> { ["type"] = type, ["reason"] = reason }, cancellationToken);

    public Task DeleteNodeShutdownAsync(string nodeId, CancellationToken cancellationToken) =>
        SendAsync<JsonElement>(HttpMethod.Delete, $"_nodes/{Uri.EscapeDataString(nodeId)}/shutdown", null, cancellationToken);

    public Task PutFsSnapshotRepositoryAsync(string repository, string location, CancellationToken cancellationToken) =>
        SendAsync<JsonElement>(
            HttpMethod.Put,
            "_snapshot/" + Uri.EscapeDataString(repository),
            new Dictionary<string, object> { ["type"] = "fs", ["settings"] = new Dictionary<string, string> { ["location"] = location } },
            cancellationToken);

    public Task<JsonElement> CreateSnapshotAsync(string repository, string snapshot, CancellationToken cancellationToken) =>
        SendAsync<JsonElement>(HttpMethod.Put, $"_snapshot/{Uri.EscapeDataString(repository)}/{Uri.EscapeDataString(snapshot)}?wait_for_completion=true", null, cancellationToken);

    public Task<JsonElement> GetSnapshotsAsync(string repository, CancellationToken cancellationToken) =>
        SendAsync<JsonElement>(HttpMethod.Get, $"_snapshot/{Uri.EscapeDataString(repository)}/_all", null, cancellationToken);

    private async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(node, path));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: Json);
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new ElasticsearchUnavailableException($"{method} {node}{path}: {ex.Message}", ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ElasticsearchUnavailableException($"{method} {node}{path}: timed out", ex);
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return JsonSerializer.Deserialize<T>(text, Json) ?? throw new ElasticsearchException((int)response.StatusCode, null, $"{method} {path}: empty answer");
            }

            throw MapError(response.StatusCode, method, path, text);
        }
    }

    /// <summary>Turns an error answer into the typed exception that says what the caller may do about it.</summary>
    internal static ElasticsearchException MapError(HttpStatusCode status, HttpMethod method, string path, string body)
    {
        string? type = null;
        var reason = body;
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.TryGetProperty("error", out var error))
            {
                if (error.ValueKind == JsonValueKind.Object)
                {
                    type = error.TryGetProperty("type", out var t) ? t.GetString() : null;
                    reason = error.TryGetProperty("reason", out var r) ? r.GetString() ?? body : body;
                }
                else if (error.ValueKind == JsonValueKind.String)
                {
                    reason = error.GetString() ?? body;
                }
            }
        }
        catch (JsonException)
        {
        }

        var code = (int)status;
        var message = string.Create(CultureInfo.InvariantCulture, $"{method} {path}: {code} {type}: {reason}");
        var unsupported = status is HttpStatusCode.MethodNotAllowed
            || (status is HttpStatusCode.BadRequest && (type is "unsupported_operation" || reason.Contains("no handler found", StringComparison.OrdinalIgnoreCase) || reason.StartsWith("no handler for", StringComparison.OrdinalIgnoreCase)))
            || (status is HttpStatusCode.NotFound && type is null);
        if (unsupported)
        {
            return new ElasticsearchUnsupportedApiException(code, type, message);
        }

        return code >= 500 ? new ElasticsearchUnavailableException(message) : new ElasticsearchException(code, type, message);
    }
}
