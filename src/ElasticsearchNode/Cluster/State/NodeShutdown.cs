namespace Cloud.ElasticsearchNode.Cluster.State;

/// <summary>A registered node shutdown (<c>PUT _nodes/{id}/shutdown</c>): <c>restart</c> or <c>remove</c>.</summary>
internal sealed record NodeShutdown(string NodeId, string Type, string Reason, long StartedAt, string? AllocationDelay = null)
{
    public bool IsRemove => string.Equals(Type, "remove", StringComparison.OrdinalIgnoreCase) || string.Equals(Type, "replace", StringComparison.OrdinalIgnoreCase);
}
