using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cloud.ElasticsearchNode.Cluster.Http;
using Cloud.ElasticsearchNode.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Cloud.ElasticsearchNode.Rest;

/// <summary>
/// The HTTP front: marks every response as Elasticsearch's, enforces <c>http.max_content_length</c>,
/// accepts JSON, NDJSON and Elastic's versioned media types (answering in kind), routes to the action,
/// and turns every failure into Elasticsearch's error shape and status (never into a crash).
/// </summary>
internal sealed partial class RestDispatcher(RestRouter router, NodeSettings settings, StateNotRecoveredBlock stateBlock, RecoveryGate recoveryGate, ILogger<RestDispatcher> logger)
{
    private const string JsonType = "application/json; charset=UTF-8";

    public async Task HandleAsync(HttpContext context)
    {
        context.Response.Headers["X-Elastic-Product"] = "Elasticsearch";
        var request = context.Request;
        RestResponse response;
        try
        {
            response = await DispatchAsync(context);
        }
        catch (ElasticsearchException ex)
        {
            response = new RestResponse(ex.Status, ErrorRenderer.Render(ex));
        }
        catch (BadHttpRequestException ex)
        {
            var error = ex.StatusCode == 413
                ? ElasticsearchException.ContentTooLong(request.ContentLength ?? -1, settings.MaxContentLengthBytes)
                : new ElasticsearchException("illegal_argument_exception", ex.Message, ex.StatusCode);
            response = new RestResponse(error.Status, ErrorRenderer.Render(error));
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogUnexpected(logger, ex, request.Method, request.Path.Value ?? "/");
            var error = new ElasticsearchException("exception", ex.Message, 500);
            response = new RestResponse(500, ErrorRenderer.Render(error));
        }

        await WriteAsync(context, response);
    }

    private async Task<RestResponse> DispatchAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "/";
        var match = router.Match(request.Method, path, out var allowed);
        if (match is null)
        {
            if (allowed.Count > 0)
            {
                context.Response.Headers.Allow = string.Join(',', allowed);
                return new RestResponse(405, new JsonObject
                {
                    ["error"] = $"Incorrect HTTP method for uri [{path}] and method [{request.Method}], allowed: [{string.Join(", ", allowed)}]",
                    ["status"] = 405,
                });
            }

            return new RestResponse(400, new JsonObject { ["error"] = $"no handler found for uri [{path}] and method [{request.Method}]", ["status"] = 400 });
        }

        if (request.ContentType is { Length: > 0 } contentType && !IsSupported(contentType))
        {
            return new RestResponse(406, new JsonObject { ["error"] = $"Content-Type header [{contentType}] is not supported", ["status"] = 406 });
        }

        if (stateBlock.Check(path, request.Query["local"] == "true") is { } blocked)
        {
            throw blocked;
        }

        await recoveryGate.WaitAsync(path, context.RequestAborted);

        var body = await ReadBodyAsync(request, context.RequestAborted);
        return await match.Value.Handler(new RestRequest(context, match.Value.Parameters, body));
    }

    private async Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var limit = settings.MaxContentLengthBytes;
        if (request.ContentLength is { } declared && declared > limit)
        {
            throw ElasticsearchException.ContentTooLong(declared, limit);
        }

        // Clients send compressed bodies when asked to (the JavaScript client's `compression: true`); the
        // limit applies to what the body inflates to, so a small gzip bomb is refused like a large body.
        await using var decoder = ContentDecoding.Decoder(request.Body, request.Headers.ContentEncoding.ToString());
        var body = decoder ?? request.Body;
        var buffer = new ArrayBufferWriter<byte>((int)Math.Min(request.ContentLength ?? 4096, limit) + 1);
        while (true)
        {
            // All the free space (the buffer fits a declared length exactly, plus one byte to see the end); doubles when full.
            var memory = buffer.GetMemory(1);
            var read = await body.ReadAsync(memory, cancellationToken);
            if (read == 0)
            {
                break;
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > limit)
            {
                throw ElasticsearchException.ContentTooLong(buffer.WrittenCount, limit);
            }
        }

        return buffer.WrittenMemory;
    }

    private static bool IsSupported(string contentType)
    {
        var mediaType = contentType.Split(';')[0].Trim().ToLowerInvariant();
        return mediaType is "application/json" or "application/x-ndjson" or "application/vnd.elasticsearch+json"
            or "application/vnd.elasticsearch+x-ndjson" or "text/plain" or "application/x-www-form-urlencoded";
    }

    /// <summary>Answers with Elastic's versioned media type when the client asked for it (the clients check).</summary>
    private static string ResponseType(HttpRequest request)
    {
        var accept = request.Headers.Accept.ToString();
        var asked = accept.Contains("vnd.elasticsearch", StringComparison.OrdinalIgnoreCase) ? accept : request.ContentType ?? "";
        if (!asked.Contains("vnd.elasticsearch", StringComparison.OrdinalIgnoreCase))
        {
            return JsonType;
        }

        var at = asked.IndexOf("compatible-with=", StringComparison.OrdinalIgnoreCase);
        var version = at < 0 ? "8" : new string([.. asked[(at + 16)..].TakeWhile(char.IsDigit)]);
        return "application/vnd.elasticsearch+json;compatible-with=" + (version.Length == 0 ? "8" : version);
    }

    private static async Task WriteAsync(HttpContext context, RestResponse response)
    {
        var http = context.Response;
        http.StatusCode = response.Status;
        if (response.Text is { } text)
        {
            http.ContentType = "text/plain; charset=UTF-8";
            var bytes = System.Text.Encoding.UTF8.GetBytes(text);
            http.ContentLength = bytes.Length;
            if (!HttpMethods.IsHead(context.Request.Method))
            {
                await http.Body.WriteAsync(bytes, context.RequestAborted);
            }

            return;
        }

        if (!response.HasJsonBody)
        {
            http.ContentType = JsonType;
            http.ContentLength = 0;
            return;
        }

        http.ContentType = ResponseType(context.Request);
        var pretty = context.Request.Query.TryGetValue("pretty", out var value) && value.ToString() is "" or "true";
        using var payload = new PooledBufferWriter(16 * 1024);
        using (var writer = new Utf8JsonWriter(payload, pretty ? IndentedWriter : CompactWriter))
        {
            if (response.JsonWriter is { } write)
            {
                write(writer);
            }
            else
            {
                // Through the serializer (not JsonNode.WriteTo), whose options resolve the CLR values some nodes hold (sort values).
                JsonSerializer.Serialize(writer, response.Json, pretty ? IndentedOptions : CompactOptions);
            }
        }

        http.ContentLength = payload.WrittenCount;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await http.Body.WriteAsync(payload.WrittenMemory, context.RequestAborted);
        }
    }

    private static readonly JsonSerializerOptions CompactOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly JsonSerializerOptions IndentedOptions = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly JsonWriterOptions CompactWriter = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly JsonWriterOptions IndentedWriter = new() { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [LoggerMessage(Level = LogLevel.Error, Message = "unexpected failure handling {Method} {Path}")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string method, string path);
}
