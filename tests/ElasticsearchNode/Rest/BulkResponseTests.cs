using System.Buffers;
using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cloud.ElasticsearchNode.Documents;
using Cloud.ElasticsearchNode.Engine;
using Cloud.ElasticsearchNode.Errors;
using Cloud.ElasticsearchNode.Indices;
using Cloud.ElasticsearchNode.Mapping;
using Cloud.ElasticsearchNode.Rest;
using FluentAssertions;
using Xunit;

namespace Cloud.ElasticsearchNode.Tests.Rest;

/// <summary>The bulk answer is streamed item by item; it must be byte for byte what the node tree rendering gives.</summary>
public sealed class BulkResponseTests
{
    [Fact]
    public void WriteResponse_EveryKindOfItem_SameJsonAsTheNodeTree()
    {
        var (metadata, _) = IndexMetadataChanges.CreateIndex(ClusterMetadata.Empty("cluster"),
            new CreateIndexRequest("logs", 1, 1, TypeMapping.Empty, [], ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal)), 0, "uuid-1");
        WriteItemResult[] results =
        [
            new(OpType.Index, "logs", "1", 0, new WriteResult("1", WriteOutcome.Created, 1, 0, 1), null),
            new(OpType.Create, "logs", "2", 0, new WriteResult("2", WriteOutcome.Updated, 3, 7, 2), null),
            new(OpType.Update, "logs", "3", 0, new WriteResult("3", WriteOutcome.Noop, 2, 5, 1), null),
            new(OpType.Delete, "logs", "4", 0, new WriteResult("4", WriteOutcome.NotFound, 1, 8, 1), null),
            new(OpType.Delete, "other", "5", 0, new WriteResult("5", WriteOutcome.Deleted, 2, 9, 1), null),
            new(OpType.Index, "logs", "ü \"6\"", -1, null, ElasticsearchException.VersionConflict("logs", "ü \"6\"", "document already exists (current version [1])")),
        ];

        var expected = new JsonObject
        {
            ["errors"] = true,
            ["took"] = 12L,
            ["items"] = new JsonArray([.. results.Select(r => (JsonNode)new JsonObject { [Name(r.OpType)] = WriteResponses.Item(r, metadata) })]),
        };
        var buffer = new ArrayBufferWriter<byte>();
        var options = new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        using (var writer = new Utf8JsonWriter(buffer, options))
        {
            BulkActions.WriteResponse(writer, results, 12, metadata);
        }

        Encoding.UTF8.GetString(buffer.WrittenSpan).Should().Be(expected.ToJsonString(new JsonSerializerOptions { Encoder = options.Encoder }));
    }

    private static string Name(OpType opType) => opType.ToString().ToLowerInvariant();
}
