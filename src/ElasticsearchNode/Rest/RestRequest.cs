using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cloud.ElasticsearchNode.Errors;
using Microsoft.AspNetCore.Http;

namespace Cloud.ElasticsearchNode.Rest;

/// <summary>A request as an action sees it: path parameters, URL parameters and the whole body.</summary>
internal sealed class RestRequest(HttpContext context, IReadOnlyDictionary<string, string> pathParameters, ReadOnlyMemory<byte> body)
{
    private static readonly System.Buffers.SearchValues<byte> Whitespace = System.Buffers.SearchValues.Create(" \n\r\t"u8);

    public HttpContext Context { get; } = context;

    public string Method => Context.Request.Method;

    public string Path => Context.Request.Path.Value ?? "/";

    public ReadOnlyMemory<byte> Body { get; } = body;

    public bool HasBody => !Body.IsEmpty && Body.Span.IndexOfAnyExcept(Whitespace) >= 0;

    public CancellationToken Aborted => Context.RequestAborted;

    public string? PathParameter(string name) => pathParameters.TryGetValue(name, out var value) ? Uri.UnescapeDataString(value) : null;

    public string RequiredPathParameter(string name) => PathParameter(name) ?? throw ElasticsearchException.IllegalArgument($"missing path parameter [{name}]");

    public string? Parameter(string name) => Context.Request.Query.TryGetValue(name, out var values) ? values.ToString() : null;

    public bool Flag(string name, bool fallback = false) => Parameter(name) switch
    {
        null => fallback,
        "" or "true" => true,
        "false" => false,
        var other => throw ElasticsearchException.IllegalArgument($"Failed to parse value [{other}] as only [true] or [false] are allowed."),
    };

    public int? IntParameter(string name) => Parameter(name) switch
    {
        null => null,
        var text when int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) => value,
        var text => throw ElasticsearchException.IllegalArgument($"Failed to parse int parameter [{name}] with value [{text}]"),
    };

    public long? LongParameter(string name) => Parameter(name) switch
    {
        null => null,
        var text when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) => value,
        var text => throw ElasticsearchException.IllegalArgument($"Failed to parse long parameter [{name}] with value [{text}]"),
    };

    /// <summary>The body as a JSON object (null when empty); anything else is a 400 in Elasticsearch's words.</summary>
    public JsonObject? JsonBody()
    {
        if (!HasBody)
        {
            return null;
        }

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(Body.Span, documentOptions: new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException ex)
        {
            throw new ElasticsearchException("x_content_parse_exception", "Failed to parse request body: " + ex.Message, 400, inner: ex);
        }

        return node as JsonObject ?? throw ElasticsearchException.Parsing("request body or source parameter is required and must be an object");
    }

    public JsonObject RequiredJsonBody() => JsonBody() ?? throw ElasticsearchException.Parsing("request body is required");
}
