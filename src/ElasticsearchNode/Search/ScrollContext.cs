using Cloud.ElasticsearchNode.Engine;
using Cloud.ElasticsearchNode.Indices;
using Lucene.Net.Search;

namespace Cloud.ElasticsearchNode.Search;

/// <summary>
/// A scroll: the request, a point-in-time searcher per shard held until the scroll ends, and per shard
/// the last hit handed out, so each page continues exactly after it on the same reader.
/// </summary>
internal sealed class ScrollContext(SearchRequest request, IReadOnlyList<ScrollContext.ShardCursor> shards, long totalHits) : IDisposable
{
    public SearchRequest Request { get; } = request;

    public IReadOnlyList<ShardCursor> Shards { get; } = shards;

    public long TotalHits { get; } = totalHits;

    public DateTimeOffset ExpiresAt { get; set; }

    public Lock Gate { get; } = new();

    public void Dispose()
    {
        foreach (var shard in Shards)
        {
            shard.Lease.Dispose();
        }
    }

    /// <summary>One shard of a scroll and the last of its hits already returned.</summary>
    internal sealed class ShardCursor(IndexService index, IndexShard shard, SearcherLease lease)
    {
        public IndexService Index { get; } = index;

        public IndexShard Shard { get; } = shard;

        public SearcherLease Lease { get; } = lease;

        public FieldDoc? After { get; set; }
    }
}
