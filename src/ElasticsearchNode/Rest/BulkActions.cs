using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cloud.ElasticsearchNode.Documents;
using Cloud.ElasticsearchNode.Engine;
using Cloud.ElasticsearchNode.Errors;
using Cloud.ElasticsearchNode.Indices;

namespace Cloud.ElasticsearchNode.Rest;

/// <summary>
/// <c>_bulk</c>: NDJSON action lines (index, create, update, delete) each followed by its source line.
/// A malformed action line rejects the request; a bad document fails only its item.
/// </summary>
internal sealed class BulkActions(IDocumentCoordinator documents, IIndexMetadataService metadata)
{
    public void Register(RestRouter router)
    {
        router.Add(["POST", "PUT"], "/_bulk", BulkAsync);
        router.Add(["POST", "PUT"], "/{index}/_bulk", BulkAsync);
    }

    private async Task<RestResponse> BulkAsync(RestRequest request)
    {
        var started = Stopwatch.GetTimestamp();
        var writes = Parse(request.Body, request.PathParameter("index"), request.Parameter("routing"));
        var results = await documents.WriteAsync(writes, WriteResponses.Refresh(request), request.Aborted);
        var took = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var current = metadata.Current;
        return RestResponse.Streamed(200, json => WriteResponse(json, results, took, current));
    }

    /// <summary>The bulk answer, written item by item (a node tree of 1,000 items costs more than the writes it reports).</summary>
    public static void WriteResponse(Utf8JsonWriter json, IReadOnlyList<WriteItemResult> results, long took, ClusterMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(results);
        json.WriteStartObject();
        json.WriteBoolean("errors", results.Any(r => r.Error is not null));
        json.WriteNumber("took", took);
        json.WriteStartArray("items");
        foreach (var result in results)
        {
            json.WriteStartObject();
            json.WritePropertyName(Name(result.OpType));
            WriteResponses.WriteItem(json, result, metadata);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    public static List<WriteRequest> Parse(ReadOnlyMemory<byte> body, string? defaultIndex, string? defaultRouting)
    {
        var writes = new List<WriteRequest>();
        var remaining = body;
        var line = 0;
        while (!remaining.IsEmpty)
        {
            var action = NextLine(ref remaining);
            line++;
            if (IsBlank(action.Span))
            {
                continue;
            }

            var (opType, index, id, routing, constraints, retries) = ParseAction(action, line, defaultIndex, defaultRouting);
            if (opType == OpType.Delete)
            {
                writes.Add(new WriteRequest(opType, index, id, routing, ReadOnlyMemory<byte>.Empty, constraints));
                continue;
            }

            if (remaining.IsEmpty)
            {
                throw ElasticsearchException.IllegalArgument("The bulk request must be terminated by a newline [\\n]");
            }

            var source = NextLine(ref remaining);
            line++;
            if (opType == OpType.Update)
            {
                JsonObject body2;
                try
                {
                    body2 = JsonNode.Parse(source.Span) as JsonObject ?? throw ElasticsearchException.Parsing("update source must be an object");
                }
                catch (JsonException ex)
                {
                    throw new ElasticsearchException("x_content_parse_exception", $"[{line}:1] failed to parse update request: {ex.Message}", 400, inner: ex);
                }

                writes.Add(new WriteRequest(opType, index, id, routing, ReadOnlyMemory<byte>.Empty, constraints, DocumentActions.ParseUpdate(body2, retries)));
            }
            else
            {
                // A slice of the body: the body is not pooled, and every layer below copies what it keeps.
                writes.Add(new WriteRequest(opType, index, id, routing, source, constraints));
            }
        }

        if (writes.Count == 0)
        {
            throw ElasticsearchException.ActionRequestValidation("no requests added");
        }

        return writes;
    }

    private static (OpType, string, string?, string?, WriteConstraints, int) ParseAction(ReadOnlyMemory<byte> action, int line, string? defaultIndex, string? defaultRouting)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(action);
        }
        catch (JsonException ex)
        {
            throw ElasticsearchException.IllegalArgument($"Malformed action/metadata line [{line}], expected START_OBJECT or END_OBJECT but found [{ex.Message}]");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw ElasticsearchException.IllegalArgument($"Malformed action/metadata line [{line}], expected START_OBJECT but found [{root.ValueKind}]");
            }

            using var properties = root.EnumerateObject();
            if (!properties.MoveNext())
            {
                throw ElasticsearchException.IllegalArgument($"Malformed action/metadata line [{line}], expected FIELD_NAME but found [END_OBJECT]");
            }

            var property = properties.Current;
            var opType = property.Name switch
            {
                "index" => OpType.Index,
                "create" => OpType.Create,
                "update" => OpType.Update,
                "delete" => OpType.Delete,
                var other => throw ElasticsearchException.IllegalArgument($"Malformed action/metadata line [{line}], expected one of [create, delete, index, update] but found [{other}]"),
            };
            if (property.Value.ValueKind != JsonValueKind.Object)
            {
                throw ElasticsearchException.IllegalArgument($"Malformed action/metadata line [{line}], expected START_OBJECT but found [{property.Value.ValueKind}]");
            }

            string? index = defaultIndex, id = null, routing = defaultRouting;
            long? ifSeqNo = null, ifPrimaryTerm = null, version = null;
            var external = false;
            var retries = 0;
            foreach (var field in property.Value.EnumerateObject())
            {
                switch (field.Name)
                {
                    case "_index":
                        index = field.Value.GetString();
                        break;
                    case "_id":
                        id = field.Value.ValueKind == JsonValueKind.String ? field.Value.GetString() : field.Value.GetRawText();
                        break;
                    case "routing" or "_routing":
                        routing = field.Value.GetString();
                        break;
                    case "if_seq_no":
                        ifSeqNo = field.Value.GetInt64();
                        break;
                    case "if_primary_term":
                        ifPrimaryTerm = field.Value.GetInt64();
                        break;
                    case "version":
                        version = field.Value.GetInt64();
                        break;
                    case "version_type":
                        external = field.Value.GetString() is "external" or "external_gte";
                        break;
                    case "retry_on_conflict":
                        retries = field.Value.GetInt32();
                        break;
                    default:
                        break;
                }
            }

            if (string.IsNullOrEmpty(index))
            {
                throw ElasticsearchException.ActionRequestValidation("index is missing");
            }

            if (opType is OpType.Update or OpType.Delete && id is null)
            {
                throw ElasticsearchException.ActionRequestValidation("id is missing");
            }

            return (opType, index, id, routing, new WriteConstraints(false, ifSeqNo, ifPrimaryTerm, external ? version : null), retries);
        }
    }

    private static ReadOnlyMemory<byte> NextLine(ref ReadOnlyMemory<byte> remaining)
    {
        var end = remaining.Span.IndexOf((byte)'\n');
        ReadOnlyMemory<byte> line;
        if (end < 0)
        {
            line = remaining;
            remaining = ReadOnlyMemory<byte>.Empty;
        }
        else
        {
            line = remaining[..end];
            remaining = remaining[(end + 1)..];
        }

        return line.Length > 0 && line.Span[^1] == '\r' ? line[..^1] : line;
    }

    private static bool IsBlank(ReadOnlySpan<byte> line) => line.Trim(" \t\r"u8).IsEmpty;

    private static string Name(OpType opType) => opType switch
    {
        OpType.Index => "index",
        OpType.Create => "create",
        OpType.Update => "update",
        _ => "delete",
    };
}
