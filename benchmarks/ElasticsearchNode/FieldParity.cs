using Cloud.ElasticsearchNode.Engine;
using Cloud.ElasticsearchNode.Mapping;
using Lucene.Net.Documents;

namespace Cloud.ElasticsearchNode.Benchmarks;

/// <summary>
/// Keeps the peer honest: the Lucene fields it builds for a document must be the node's own (same names, field
/// types and values as <see cref="DocumentParser"/> with the dynamic mapping, plus <see cref="IndexShard"/>'s
/// metadata fields), or the run stops before measuring anything.
/// </summary>
internal static class FieldParity
{
    public static void Check(byte[] body)
    {
        var (action, source) = BulkBodies.Pairs(body).First();
        var id = RawLucene.IdOf(action.Span);
        var dynamic = DocumentParser.Parse(TypeMapping.Empty, id, source).DynamicUpdate ?? TypeMapping.Empty;
        var node = DocumentParser.Parse(TypeMapping.Empty.Merge(dynamic), id, source).Document;
        IndexShard.AddMetaFields(node, id, null, source, 0, 1, 1);
        var peer = RawLucene.Build(id, source, 0);
        var (nodeFields, peerFields) = (Describe(node), Describe(peer));
        if (!nodeFields.SequenceEqual(peerFields))
        {
            throw new InvalidOperationException("the raw Lucene.Net peer does not index what the node does:\nnode only: " +
                string.Join("\n  ", nodeFields.Except(peerFields)) + "\npeer only: " + string.Join("\n  ", peerFields.Except(nodeFields)));
        }
    }

    private static List<string> Describe(Document document) =>
        [.. document.Fields.Select(f => f.GetType().Name + " " + f).Order(StringComparer.Ordinal)];
}
