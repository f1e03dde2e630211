using System.Text.Json;

namespace Cloud.ElasticsearchNode.Cluster.Http;

/// <summary>A cluster API request as the handlers need it: path and URL parameters and the body already read.</summary>
internal sealed class ApiRequest(Func<string, string?> pathParameter, Func<string, string?> query, ReadOnlyMemory<byte> body, CancellationToken aborted)
{
    public CancellationToken Aborted { get; } = aborted;

    public bool HasBody => !body.IsEmpty && body.Span.Trim(" \r\n\t"u8).Length > 0;

    public string? Path(string name) => pathParameter(name);

    public string? Query(string name) => query(name);

    public bool Has(string name) => query(name) is not null;

    /// <summary>The body as JSON (an empty object when there is none); malformed JSON is the caller's 400.</summary>
    public JsonElement JsonBody() => HasBody ? JsonSerializer.Deserialize<JsonElement>(body.Span) : JsonDocument.Parse("{}").RootElement.Clone();
}
