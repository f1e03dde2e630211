namespace Cloud.Constructor.Clusters;

/// <summary>
/// A cluster's record or plans in ZooKeeper do not parse (written by hand, or by a newer constructor). It is
/// that cluster's problem: loops skip it and say so, every other cluster goes on.
/// </summary>
public sealed class UnreadableClusterException(string clusterId, Exception inner)
    : Exception($"The record of cluster [{clusterId}] cannot be read: {inner.Message}", inner)
{
    public string ClusterId { get; } = clusterId;
}
