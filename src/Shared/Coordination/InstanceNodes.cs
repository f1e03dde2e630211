using Cloud.ZooKeeper;

namespace Cloud.Shared.Coordination;

/// <summary>
/// <c>/cloud/instances/&lt;cluster_id&gt;/&lt;instance&gt;</c>, each written by the allocator that runs the instance.
/// With identities, an instance node is its publisher's alone to change: the proxy routes to its <c>host</c> and
/// <c>http_port</c>, so another host must not be able to point a cluster's traffic elsewhere. The collections
/// above stay open to create and delete in, because any allocator may come to run an instance of any cluster
/// and ZooKeeper cannot limit a delete to the children one created. What that leaves: a host can delete (not
/// rewrite) another host's instance node, and can create nodes the proxy ignores unless the constructor's
/// routing (<c>/cloud/routing/&lt;cluster_id&gt;</c>, constructor-owned) lists them.
/// </summary>
public static class InstanceNodes
{
    /// <summary>The ACL of <c>/cloud/instances</c> and of each cluster's collection in it.</summary>
    public static IReadOnlyList<Acl> CollectionAcl { get; } = [new(Permissions.Read | Permissions.Create | Permissions.Delete, "world", "anyone")];

    /// <summary>Whether <paramref name="path"/> is one instance's node.</summary>
    public static bool IsInstance(string path) => DepthBelowRoot(path) == 2;

    /// <summary>Whether <paramref name="path"/> is <c>/cloud/instances</c> or one cluster's collection in it.</summary>
    public static bool IsCollection(string path) => DepthBelowRoot(path) is 0 or 1;

    private static int DepthBelowRoot(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path == CloudPaths.Instances)
        {
            return 0;
        }

        return path.StartsWith(CloudPaths.Instances + "/", StringComparison.Ordinal)
            ? path.AsSpan(CloudPaths.Instances.Length).Count('/')
            : -1;
    }
}
