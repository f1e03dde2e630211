namespace Cloud.Constructor.Elasticsearch;

/// <summary>The answering node's id and name (<c>GET _nodes/_local</c>).</summary>
public sealed record LocalNode(string NodeId, string Name, string? Version);
