using Cloud.ElasticsearchNode.Documents;
using Cloud.ElasticsearchNode.Engine;
using Cloud.ElasticsearchNode.Errors;

namespace Cloud.ElasticsearchNode.Replication;

// Messages of the replicated write path and of shard-level reads, kept together.

/// <summary>Writes of one shard, from the coordinating node to the node holding its primary.</summary>
internal sealed record PrimaryWriteRequest(string Index, int Shard, IReadOnlyList<WriteRequest> Items, RefreshPolicy Refresh);

internal sealed record PrimaryWriteResponse(IReadOnlyList<WireItemResult> Items);

/// <summary>One write's result as it travels back to the coordinating node.</summary>
internal sealed record WireItemResult(OpType OpType, string Index, string Id, int Shard, WriteResult? Result, WireError? Error, ReadOnlyMemory<byte>? UpdatedSource)
{
    public static WireItemResult From(WriteItemResult result) =>
        new(result.OpType, result.Index, result.Id, result.Shard, result.Result, result.Error is { } e ? WireError.From(e) : null, result.UpdatedSource);

    public WriteItemResult ToResult() => new(OpType, Index, Id, Shard, Result, Error?.ToException(), UpdatedSource);
}

internal sealed record WireError(string Type, string Reason, int Status, string? Index)
{
    public static WireError From(ElasticsearchException error) => new(error.Type, error.Message, error.Status, error.Index);

    public ElasticsearchException ToException() => new(Type, Reason, Status, Index);
}

/// <summary>Operations the primary ordered, to one copy (started, initializing or relocation target).</summary>
internal sealed record ReplicaWriteRequest(string IndexUuid, int Shard, string AllocationId, long PrimaryTerm, IReadOnlyList<ShardOperation> Operations, RefreshPolicy Refresh);

/// <summary>A real-time get on one copy.</summary>
internal sealed record ShardGetRequest(string Index, string IndexUuid, int Shard, string Id, bool Realtime);

internal sealed record ShardGetResponse(StoredDocument? Document);

internal static class ReplicationActions
{
    public const string Primary = "indices:data/write/bulk[s][p]";
    public const string Replica = "indices:data/write/bulk[s][r]";
    public const string Get = "indices:data/read/get[s]";
}
