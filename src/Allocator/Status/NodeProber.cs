using System.Globalization;
using System.Text.Json;
using Cloud.Shared.Allocators;

namespace Cloud.Allocator.Status;

/// <summary>Asks a node <c>GET /</c> through its published HTTP port: is it up, and who does it say it is.</summary>
internal sealed class NodeProber(HttpClient httpClient, TimeProvider timeProvider)
{
    public async Task<NodeProbe> ProbeAsync(string address, int httpPort, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var uri = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://{address}:{httpPort}/"));
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var response = await httpClient.GetAsync(uri, deadline.Token);
            if (!response.IsSuccessStatusCode)
            {
                return Unreachable(string.Create(CultureInfo.InvariantCulture, $"GET / answered {(int)response.StatusCode}"));
            }

            await using var body = await response.Content.ReadAsStreamAsync(deadline.Token);
            using var document = await JsonDocument.ParseAsync(body, cancellationToken: deadline.Token);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Null)
            {
                throw new JsonException("empty body");
            }

            return new NodeProbe
            {
                Reachable = true,
                NodeName = Text(root, "name"),
                ClusterName = Text(root, "cluster_name"),
                ClusterUuid = Text(root, "cluster_uuid"),
                Version = root.TryGetProperty("version", out var version) ? Text(version, "number") : null,
                ProbedAt = timeProvider.GetUtcNow(),
            };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Unreachable($"GET / timed out after {timeout.TotalSeconds:0.#}s");
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or InvalidOperationException)
        {
            return Unreachable(ex.Message);
        }
    }

    private NodeProbe Unreachable(string error) => new() { Reachable = false, Error = error, ProbedAt = timeProvider.GetUtcNow() };

    private static string? Text(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
