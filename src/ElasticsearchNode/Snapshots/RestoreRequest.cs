namespace Cloud.ElasticsearchNode.Snapshots;

/// <summary>The body of <c>POST _snapshot/{repo}/{snap}/_restore</c>: which indices, and how to rename them.</summary>
internal sealed record RestoreRequest(string? Indices, string? RenamePattern, string? RenameReplacement);
