namespace Cloud.ElasticsearchNode.Cluster.Transport;

/// <summary>
/// What two nodes tell each other first on a new connection. A node of another cluster (name, or a
/// different cluster uuid once both know theirs) is refused before any other message is handled.
/// </summary>
internal sealed record TransportHandshake(string ClusterName, string? ClusterUuid, string NodeId, string NodeName)
{
    public const string Action = "internal:tcp/handshake";

    /// <summary>Null when the remote node belongs to the same cluster; otherwise why it is refused.</summary>
    public string? RefusalFor(TransportHandshake remote)
    {
        ArgumentNullException.ThrowIfNull(remote);
        if (!string.Equals(ClusterName, remote.ClusterName, StringComparison.Ordinal))
        {
            return $"handshake failed: remote node [{remote.NodeName}] belongs to cluster [{remote.ClusterName}], not [{ClusterName}]";
        }

        if (ClusterUuid is { Length: > 0 } mine && remote.ClusterUuid is { Length: > 0 } theirs && !string.Equals(mine, theirs, StringComparison.Ordinal))
        {
            return $"handshake failed: remote node [{remote.NodeName}] belongs to cluster uuid [{theirs}], not [{mine}]";
        }

        return null;
    }
}
