namespace Cloud.ElasticsearchNode.Indices;

/// <summary>An alias of one index: its name, an optional filter (query DSL JSON) and whether it is the write index.</summary>
internal sealed record AliasMetadata(string Name, string? FilterJson = null, bool? IsWriteIndex = null, string? Routing = null);
