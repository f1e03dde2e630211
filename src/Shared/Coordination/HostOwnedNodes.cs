using Cloud.ZooKeeper;

namespace Cloud.Shared.Coordination;

/// <summary>
/// The ZooKeeper nodes that belong to one enrolled host: its liveness nodes (<c>/cloud/runners/&lt;host&gt;</c>,
/// <c>/cloud/allocators/&lt;host&gt;</c>, <c>/cloud/proxies/&lt;host&gt;</c>, <c>/cloud/allocators-meta/&lt;host&gt;</c>)
/// and its subtrees (<c>/cloud/inspect/&lt;host&gt;/…</c>, <c>/cloud/containers/&lt;host&gt;/…</c>). Only the
/// host's digest identity (and ZooKeeper's super user, the constructor) may change them; everyone reads them.
/// </summary>
public static class HostOwnedNodes
{
    /// <summary>Collections where the host owns its child and everything below it.</summary>
    public static IReadOnlyList<string> SubtreeParents { get; } = [CloudPaths.Inspect, CloudPaths.Containers];

    /// <summary>Collections where the host owns its child only.</summary>
    public static IReadOnlyList<string> NodeParents { get; } = [CloudPaths.Runners, CloudPaths.Allocators, CloudPaths.AllocatorsMeta, CloudPaths.Proxies];

    /// <summary>
    /// The ACL of the collections themselves once hosts enroll: anyone reads and creates (ZooKeeper cannot
    /// restrict a create to one child name), nobody but the super user deletes, so a host cannot remove
    /// another's node. Ephemeral nodes still go with their session: the server removes them without an ACL check.
    /// </summary>
    public static IReadOnlyList<Acl> ParentAcl { get; } = [new(Permissions.Read | Permissions.Create, "world", "anyone")];

    /// <summary>What an authenticated agent creates its own nodes with: every right for its identity, read for all.</summary>
    public static IReadOnlyList<Acl> CreatorAcl { get; } = [new(Permissions.All, "auth", string.Empty), new(Permissions.Read, "world", "anyone")];

    /// <summary>The same ACL, for the constructor setting it on a host's behalf.</summary>
    public static IReadOnlyList<Acl> AclOf(string hostId, string password) =>
        [Acl.Digest(hostId, password, Permissions.All), new(Permissions.Read, "world", "anyone")];

    /// <summary>Whether <paramref name="path"/> is one of <paramref name="hostId"/>'s own nodes.</summary>
    public static bool IsOwnedBy(string path, string hostId)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentException.ThrowIfNullOrEmpty(hostId);
        foreach (var parent in NodeParents)
        {
            if (path == parent + "/" + hostId)
            {
                return true;
            }
        }

        foreach (var parent in SubtreeParents)
        {
            var root = parent + "/" + hostId;
            if (path == root || path.StartsWith(root + "/", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
