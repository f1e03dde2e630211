using Lucene.Net.Documents;

namespace Cloud.ElasticsearchNode.Mapping;

/// <summary>A source turned into Lucene fields, plus the fields it introduced that the mapping must gain first (or null).</summary>
internal sealed record ParsedDocument(Document Document, TypeMapping? DynamicUpdate);
