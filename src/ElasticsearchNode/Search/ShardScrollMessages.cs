namespace Cloud.ElasticsearchNode.Search;

// A scroll between the coordinating node and the nodes holding its shard contexts (ShardScrollContexts), kept together.

/// <summary>Open a context on this copy (pin its searcher) and return the first page.</summary>
internal sealed record ScrollOpenRequest(ShardQueryRequest Query, long KeepAliveMs);

/// <summary>The next page of a context, keeping it alive <see cref="KeepAliveMs"/> longer.</summary>
internal sealed record ScrollPageRequest(string ContextId, long KeepAliveMs);

/// <summary>A context's page and the request it pages (the coordinating node merges and renders by it).</summary>
internal sealed record ScrollPageResponse(string ContextId, SearchRequest Request, ShardQueryResponse Page);

/// <summary>The merged page took the first <see cref="Consumed"/> hits of the context's last page.</summary>
internal sealed record ScrollAdvanceRequest(string ContextId, int Consumed);

/// <summary>Free these contexts, or every scroll context on the node with <see cref="All"/>.</summary>
internal sealed record ScrollFreeRequest(IReadOnlyList<string> ContextIds, bool All);

internal sealed record ScrollFreeResponse(int Freed);

internal static class ScrollActions
{
    public const string Open = "indices:data/read/scroll[open]";
    public const string Page = "indices:data/read/scroll[page]";
    public const string Advance = "indices:data/read/scroll[advance]";
    public const string Free = "indices:data/read/scroll[free]";
}
