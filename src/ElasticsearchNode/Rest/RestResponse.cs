using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cloud.ElasticsearchNode.Rest;

/// <summary>
/// What an action answers: a status and a JSON body (a node tree, or for large answers such as bulk's a
/// writer that streams it), plain text (the <c>_cat</c> APIs), or nothing.
/// </summary>
internal sealed record RestResponse(int Status, JsonNode? Json = null, string? Text = null, Action<Utf8JsonWriter>? JsonWriter = null)
{
    public static RestResponse Ok(JsonNode json) => new(200, json);

    /// <summary>A JSON body written straight to the response buffer, without building a node tree first.</summary>
    public static RestResponse Streamed(int status, Action<Utf8JsonWriter> write) => new(status, JsonWriter: write);

    public static RestResponse Status200 { get; } = new(200);

    public static RestResponse NotFound { get; } = new(404);

    public bool HasJsonBody => Json is not null || JsonWriter is not null;
}
