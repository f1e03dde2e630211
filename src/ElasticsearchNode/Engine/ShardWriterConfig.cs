using Lucene.Net.Analysis;
using Lucene.Net.Index;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Util;

namespace Cloud.ElasticsearchNode.Engine;

/// <summary>
/// How a shard's <see cref="IndexWriter"/> is configured. The benchmark's raw Lucene.Net peer takes the same
/// configuration, so the two differ only by what the node adds (HTTP, JSON, translog, versions).
/// </summary>
internal static class ShardWriterConfig
{
    public static IndexWriterConfig Create(Analyzer analyzer, double ramBufferMb, IndexDeletionPolicy? deletionPolicy = null)
    {
        var config = new IndexWriterConfig(LuceneVersion.LUCENE_48, analyzer)
        {
            OpenMode = OpenMode.CREATE_OR_APPEND,
            Similarity = new BM25Similarity(),
            RAMBufferSizeMB = ramBufferMb,
        };
        if (deletionPolicy is not null)
        {
            config.IndexDeletionPolicy = deletionPolicy;
        }

        return config;
    }
}
