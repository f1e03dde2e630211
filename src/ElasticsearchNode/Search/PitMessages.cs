namespace Cloud.ElasticsearchNode.Search;

// A point in time between the coordinating node and the nodes holding its shard contexts (ShardScrollContexts), kept together.

/// <summary>Pin this copy's current searcher for <see cref="KeepAliveMs"/>; answers the context's id.</summary>
internal sealed record PitOpenRequest(string Index, string IndexUuid, int Shard, long KeepAliveMs);

internal sealed record PitOpenResponse(string ContextId);

/// <summary>
/// Run <see cref="Request"/> on a context's pinned searcher. <see cref="Ordinal"/> is the shard's place in the point in
/// time (its <c>_shard_doc</c> high bits); a positive <see cref="KeepAliveMs"/> extends the context.
/// </summary>
internal sealed record PitSearchRequest(string ContextId, SearchRequest Request, int TopN, int Ordinal, long KeepAliveMs);

internal static class PitActions
{
    public const string Open = "indices:data/read/open_point_in_time[phase/query]";
    public const string Search = "indices:data/read/search[phase/query+fetch/pit]";
}
