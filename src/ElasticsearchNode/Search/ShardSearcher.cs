using Cloud.ElasticsearchNode.Engine;
using Cloud.ElasticsearchNode.Indices;
using Lucene.Net.Search;

namespace Cloud.ElasticsearchNode.Search;

/// <summary>
/// Runs a search on one shard: translates the query against the shard's index mappings, collects the
/// top <c>from + size</c> hits (after a cursor when paging) and the aggregations in one pass, and
/// fetches the hits' sources.
/// </summary>
internal static class ShardSearcher
{
    /// <param name="shardOrdinal">The shard's place in the point in time searched (for <c>_shard_doc</c>).</param>
    public static ShardSearchResult Execute(IndexService index, IndexShard shard, SearcherLease lease, SearchRequest request, int topN, FieldDoc? after, int shardOrdinal = 0)
    {
        shard.CountQuery();
        var mapping = index.Metadata.Mappings;
        var query = new QueryTranslator(mapping, index.Analyzer).Translate(request.Query);
        var sort = LuceneSort.Build(request.Sort, mapping, docTiebreak: true);
        var shardDoc = ShardDocSort.PositionIn(request.Sort);
        if (after is null && request.SearchAfter is { } searchAfter)
        {
            after = LuceneSort.After(sort, shardDoc < 0 ? searchAfter : ShardDocSort.ForShard(searchAfter, shardDoc, shardOrdinal));
        }

        var aggregations = request.Aggregations.IsEmpty ? null : new AggregationCollector(request.Aggregations, mapping);
        TopFieldCollector? top = topN > 0
            ? TopFieldCollector.Create(sort, topN, after, fillFields: true, trackDocScores: true, trackMaxScore: true, docsScoredInOrder: false)
            : null;
        var counter = top is null ? new TotalHitCountCollector() : null;
        ICollector main = (ICollector?)top ?? counter!;
        lease.Searcher.Search(query, aggregations is null ? main : MultiCollector.Wrap(main, aggregations));

        var hits = new List<SearchHit>();
        long total;
        var maxScore = float.NaN;
        if (top is not null)
        {
            var docs = top.GetTopDocs();
            total = docs.TotalHits;
            maxScore = docs.MaxScore;
            // Without _shard_doc the last Lucene key is the doc tiebreak added to the user's keys.
            var userFields = sort.GetSort().Length - (shardDoc < 0 ? 1 : 0);
            for (var i = 0; i < docs.ScoreDocs.Length; i++)
            {
                var fieldDoc = (FieldDoc)docs.ScoreDocs[i];
                var stored = IndexShard.ReadStored(lease.Searcher.Doc(fieldDoc.Doc));
                var sortValues = LuceneSort.Normalize(sort, fieldDoc.Fields, userFields);
                if (shardDoc >= 0)
                {
                    sortValues[shardDoc] = ShardDocSort.Value(shardOrdinal, fieldDoc.Doc);
                }

                hits.Add(new SearchHit(index.Metadata.Name, shard.ShardId.Shard, stored, fieldDoc.Score, sortValues, i) { Cursor = fieldDoc });
            }
        }
        else
        {
            total = counter!.TotalHits;
        }

        return new ShardSearchResult(index.Metadata.Name, shard.ShardId.Shard, total, maxScore, hits, aggregations?.Finish() ?? []);
    }
}
