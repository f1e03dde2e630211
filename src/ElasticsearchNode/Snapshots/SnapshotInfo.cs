using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using Cloud.ElasticsearchNode.Indices;

namespace Cloud.ElasticsearchNode.Snapshots;

/// <summary>
/// What <c>snap-{name}.json</c> holds: the snapshot's identity, outcome and timing, and the metadata
/// (mappings, settings, shard count) of every index in it, which a restore recreates.
/// </summary>
internal sealed record SnapshotInfo(
    string Name,
    string Uuid,
    string State,
    DateTimeOffset Start,
    DateTimeOffset End,
    int TotalShards,
    ImmutableArray<SnapshotShardFailure> Failures,
    ImmutableArray<IndexMetadata> Indices)
{
    public JsonObject ToJson()
    {
        var json = ToResponseJson();
        json["index_metadata"] = new JsonArray([.. Indices.Select(i => (JsonNode)i.ToJson())]);
        return json;
    }

    /// <summary>The snapshot as Elasticsearch's <c>GET _snapshot/{repo}/{snap}</c> shows it.</summary>
    public JsonObject ToResponseJson() => new()
    {
        ["snapshot"] = Name,
        ["uuid"] = Uuid,
        ["version"] = "8.15.0",
        ["indices"] = new JsonArray([.. Indices.Select(i => (JsonNode)i.Name)]),
        ["data_streams"] = new JsonArray(),
        ["include_global_state"] = false,
        ["state"] = State,
        ["start_time"] = Start.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        ["start_time_in_millis"] = Start.ToUnixTimeMilliseconds(),
        ["end_time"] = End.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        ["end_time_in_millis"] = End.ToUnixTimeMilliseconds(),
        ["duration_in_millis"] = (long)(End - Start).TotalMilliseconds,
        ["failures"] = new JsonArray([.. Failures.Select(f => (JsonNode)f.ToJson())]),
        ["shards"] = new JsonObject
        {
            ["total"] = TotalShards,
            ["failed"] = Failures.Length,
            ["successful"] = TotalShards - Failures.Length,
        },
    };

    public static SnapshotInfo FromJson(JsonObject json) => new(
        json["snapshot"]!.GetValue<string>(),
        json["uuid"]!.GetValue<string>(),
        json["state"]!.GetValue<string>(),
        DateTimeOffset.FromUnixTimeMilliseconds(json["start_time_in_millis"]!.GetValue<long>()),
        DateTimeOffset.FromUnixTimeMilliseconds(json["end_time_in_millis"]!.GetValue<long>()),
        json["shards"]!["total"]!.GetValue<int>(),
        [.. (json["failures"] as JsonArray ?? []).OfType<JsonObject>().Select(SnapshotShardFailure.FromJson)],
        [.. (json["index_metadata"] as JsonArray ?? []).OfType<JsonObject>().Select(IndexMetadata.FromJson)]);
}
