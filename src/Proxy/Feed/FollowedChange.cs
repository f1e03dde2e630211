namespace Cloud.Proxy.Feed;

/// <summary>
/// A followed node as it is now: <paramref name="Data"/> is null when it is gone. <paramref name="Parent"/> is the
/// name of the node one level below the root for nodes two levels down (the cluster id of
/// <c>/cloud/instances/&lt;cluster_id&gt;/&lt;instance&gt;</c>), empty for nodes right below the root.
/// </summary>
internal readonly record struct FollowedChange(string Path, string Parent, string Name, byte[]? Data);
