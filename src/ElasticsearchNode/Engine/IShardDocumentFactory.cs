using Lucene.Net.Documents;

namespace Cloud.ElasticsearchNode.Engine;

/// <summary>
/// Builds the Lucene document for a source under the index's current mappings; the shard uses it when
/// it replays its translog or applies an operation as a replica (the primary parses before it writes).
/// </summary>
internal interface IShardDocumentFactory
{
    Document Build(string id, ReadOnlyMemory<byte> source);
}
