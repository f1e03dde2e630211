namespace Cloud.ElasticsearchNode.Search;

/// <summary>A search body's <c>pit</c>: the point in time's id and, optionally, how much longer to keep it (<c>keep_alive</c>).</summary>
internal sealed record PitSpec(string Id, string? KeepAlive);
