using Cloud.ZooKeeper;

namespace Cloud.Shared.Coordination;

/// <summary>
/// The trees only the constructor writes: the work each allocator must run, cluster records and plans,
/// routing and on-call overrides, data purges and the constructors' leader election. Once the constructor
/// holds an identity (ZooKeeper's super user, with enrollment), it creates every node there readable by all
/// and changeable by itself alone, so an enrolled host cannot give itself or another host work, reroute a
/// cluster's traffic or forge a plan. One exception: an allocator deletes the purge requests addressed to
/// it, so enrollment makes <c>/cloud/allocators-purge/&lt;host&gt;</c> that host's (HostAclWriter).
/// </summary>
public static class PlatformOwnedNodes
{
    public static IReadOnlyList<string> Roots { get; } =
        [CloudPaths.AllocatorsWork, CloudPaths.AllocatorsPurge, CloudPaths.Clusters, CloudPaths.Routing, CloudPaths.RoutingOverrides, CloudPaths.ConstructorRoot];

    /// <summary>Whether <paramref name="path"/> is one of <see cref="Roots"/> or below one.</summary>
    public static bool Contains(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        foreach (var root in Roots)
        {
            if (path == root || path.StartsWith(root + "/", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The ACL a session with an identity creates <paramref name="path"/> with: its own nodes (a host's, the
    /// instances it publishes, or the constructor's trees) writable by that identity only and readable by all;
    /// the instance collections open to create and delete in (<see cref="InstanceNodes"/>); anything else open,
    /// as without identities.
    /// </summary>
    public static IReadOnlyList<Acl> CreateAclFor(string path, string identity) =>
        HostOwnedNodes.IsOwnedBy(path, identity) || Contains(path) || InstanceNodes.IsInstance(path) ? HostOwnedNodes.CreatorAcl
        : InstanceNodes.IsCollection(path) ? InstanceNodes.CollectionAcl
        : Acl.OpenUnsafe;

    /// <summary>Whether anyone without an identity may do more than read a node with <paramref name="acl"/>.</summary>
    public static bool IsWritableByAnyone(IReadOnlyList<Acl> acl)
    {
        ArgumentNullException.ThrowIfNull(acl);
        return acl.Any(entry => entry is { Scheme: "world", Id: "anyone" } && (entry.Permissions & ~Permissions.Read) != 0);
    }
}
