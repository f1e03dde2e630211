using System.Buffers.Text;
using System.Text.Json;
using Cloud.ElasticsearchNode.Cluster;
using Cloud.ElasticsearchNode.Errors;

namespace Cloud.ElasticsearchNode.Search;

/// <summary>
/// A cluster scroll id: where each shard's context lives (node id, context id on that node) and which shard it
/// reads, as URL-safe base64 of JSON. Any node can continue or clear the scroll with it; the id stays the same
/// from page to page.
/// </summary>
internal sealed record ClusterScrollId(IReadOnlyList<ClusterScrollId.Entry> Shards)
{
    public string Encode() => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(this, ClusterJson.Options));

    public static ClusterScrollId Decode(string scrollId)
    {
        ArgumentNullException.ThrowIfNull(scrollId);
        try
        {
            var decoded = JsonSerializer.Deserialize<ClusterScrollId>(Base64Url.DecodeFromChars(scrollId), ClusterJson.Options);
            if (decoded?.Shards is { } shards && shards.All(s => s is { NodeId: not null, ContextId: not null, Index: not null }))
            {
                return decoded;
            }
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            // Falls through to the refusal below.
        }

        throw ElasticsearchException.IllegalArgument($"Cannot parse scroll id [{scrollId}]");
    }

    /// <summary>One shard's context.</summary>
    internal sealed record Entry(string NodeId, string ContextId, string Index, int Shard);
}
