using Cloud.ElasticsearchNode.Engine;
using Lucene.Net.Search;

namespace Cloud.ElasticsearchNode.Search;

/// <summary>
/// A hit from one shard: the document, its score and sort values (long, double, string or null, in
/// sort order), and the shard's Lucene position, used to page a scroll on the same shard.
/// </summary>
internal sealed record SearchHit(string Index, int Shard, StoredDocument Document, float Score, object?[] SortValues, int ShardOrder)
{
    public FieldDoc? Cursor { get; init; }
}
