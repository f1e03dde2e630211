namespace Cloud.ElasticsearchNode.Indices;

/// <summary>One step of <c>POST /_aliases</c>: add or remove an alias on one index.</summary>
internal sealed record AliasAction(bool Add, string Index, AliasMetadata Alias);
