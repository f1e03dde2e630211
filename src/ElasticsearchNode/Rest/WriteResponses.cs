using System.Text.Json;
using System.Text.Json.Nodes;
using Cloud.ElasticsearchNode.Documents;
using Cloud.ElasticsearchNode.Engine;
using Cloud.ElasticsearchNode.Errors;
using Cloud.ElasticsearchNode.Indices;

namespace Cloud.ElasticsearchNode.Rest;

/// <summary>Write results rendered as Elasticsearch does, for single-document APIs and bulk items alike.</summary>
internal static class WriteResponses
{
    public static JsonObject Item(WriteItemResult item, IIndexMetadataService metadata) => Item(item, metadata.Current);

    public static JsonObject Item(WriteItemResult item, ClusterMetadata metadata)
    {
        if (item.Error is { } error)
        {
            return new JsonObject
            {
                ["_index"] = item.Index,
                ["_id"] = item.Id,
                ["status"] = error.Status,
                ["error"] = ErrorRenderer.Cause(error),
            };
        }

        var result = item.Result!;
        var replicas = metadata.Index(item.Index)?.NumberOfReplicas ?? 0;
        return new JsonObject
        {
            ["_index"] = item.Index,
            ["_id"] = item.Id,
            ["_version"] = result.Version,
            ["result"] = Outcome(result.Outcome),
            ["_shards"] = result.Outcome == WriteOutcome.Noop ? Shards(0, 0) : Shards(1 + replicas, 1),
            ["_seq_no"] = result.SeqNo,
            ["_primary_term"] = result.PrimaryTerm,
            ["status"] = item.Status,
        };
    }

    /// <summary>Writes what <see cref="Item"/> builds, straight to <paramref name="json"/> (bulk answers).</summary>
    public static void WriteItem(Utf8JsonWriter json, WriteItemResult item, ClusterMetadata metadata)
    {
        json.WriteStartObject();
        json.WriteString("_index", item.Index);
        json.WriteString("_id", item.Id);
        if (item.Error is { } error)
        {
            json.WriteNumber("status", error.Status);
            json.WritePropertyName("error");
            ErrorRenderer.Cause(error).WriteTo(json);
            json.WriteEndObject();
            return;
        }

        var result = item.Result!;
        json.WriteNumber("_version", result.Version);
        json.WriteString("result", Outcome(result.Outcome));
        var (total, successful) = result.Outcome == WriteOutcome.Noop ? (0, 0) : (1 + (metadata.Index(item.Index)?.NumberOfReplicas ?? 0), 1);
        json.WriteStartObject("_shards");
        json.WriteNumber("total", total);
        json.WriteNumber("successful", successful);
        json.WriteNumber("failed", 0);
        json.WriteEndObject();
        json.WriteNumber("_seq_no", result.SeqNo);
        json.WriteNumber("_primary_term", result.PrimaryTerm);
        json.WriteNumber("status", item.Status);
        json.WriteEndObject();
    }

    public static RestResponse Single(WriteItemResult item, IIndexMetadataService metadata)
    {
        if (item.Error is { } error)
        {
            throw error;
        }

        var json = Item(item, metadata);
        json.Remove("status");
        return new RestResponse(item.Status, json);
    }

    public static JsonObject Shards(int total, int successful) =>
        new() { ["total"] = total, ["successful"] = successful, ["failed"] = 0 };

    public static string Outcome(WriteOutcome outcome) => outcome switch
    {
        WriteOutcome.Created => "created",
        WriteOutcome.Updated => "updated",
        WriteOutcome.Deleted => "deleted",
        WriteOutcome.NotFound => "not_found",
        _ => "noop",
    };

    public static RefreshPolicy Refresh(RestRequest request) => request.Parameter("refresh") switch
    {
        null or "false" => RefreshPolicy.None,
        "" or "true" => RefreshPolicy.Immediate,
        "wait_for" => RefreshPolicy.WaitFor,
        var other => throw ElasticsearchException.IllegalArgument($"Unknown value for refresh: [{other}]."),
    };

    public static WriteConstraints Constraints(RestRequest request)
    {
        var ifSeqNo = request.LongParameter("if_seq_no");
        var ifPrimaryTerm = request.LongParameter("if_primary_term");
        if ((ifSeqNo is null) != (ifPrimaryTerm is null))
        {
            throw ElasticsearchException.ActionRequestValidation("ifSeqNo is set, but primary term is [0]");
        }

        var external = request.Parameter("version_type") is "external" or "external_gte" ? request.LongParameter("version") : null;
        return new WriteConstraints(false, ifSeqNo, ifPrimaryTerm, external);
    }
}
