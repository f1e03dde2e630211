using System.Text.Json.Nodes;

namespace Cloud.ElasticsearchNode.Rest;

/// <summary>What an action answers: a status and a JSON body, plain text (the <c>_cat</c> APIs), or nothing.</summary>
internal sealed record RestResponse(int Status, JsonNode? Json = null, string? Text = null)
{
    public static RestResponse Ok(JsonNode json) => new(200, json);

    public static RestResponse Status200 { get; } = new(200);

    public static RestResponse NotFound { get; } = new(404);
}
