using System.Text.Json.Nodes;

namespace Cloud.ElasticsearchNode.Documents;

/// <summary>An update's body: a partial document merged into the source, and what to do when the document is missing.</summary>
internal sealed record UpdateSpec(JsonObject? Doc, JsonObject? Upsert, bool DocAsUpsert, bool DetectNoop = true, int RetryOnConflict = 0);
