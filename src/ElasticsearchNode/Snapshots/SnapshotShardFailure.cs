using System.Text.Json.Nodes;

namespace Cloud.ElasticsearchNode.Snapshots;

/// <summary>A shard a snapshot could not copy, and why.</summary>
internal sealed record SnapshotShardFailure(string Index, int Shard, string Reason)
{
    public JsonObject ToJson() => new() { ["index"] = Index, ["shard_id"] = Shard, ["reason"] = Reason, ["status"] = "INTERNAL_SERVER_ERROR" };

    public static SnapshotShardFailure FromJson(JsonObject json) =>
        new(json["index"]!.GetValue<string>(), json["shard_id"]!.GetValue<int>(), json["reason"]!.GetValue<string>());
}
