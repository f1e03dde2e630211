using System.Collections.Immutable;
using Cloud.Shared.Coordination;
using Cloud.ZooKeeper;

namespace Cloud.Constructor.Enrollment;

/// <summary>
/// Gives an enrolling host its nodes (<see cref="HostOwnedNodes"/>): creates them, or re-ACLs them and
/// everything below (a host enrolling again gets a new password, and whatever was written before
/// enrollment becomes its own), so only the host's digest identity may change them. Idempotent.
/// Needs ZooKeeper's super user (ADMIN on nodes others created).
/// </summary>
internal static class HostAclWriter
{
    public static async Task ApplyAsync(ZooKeeperClient client, string hostId, string password, ImmutableArray<string> roles, CancellationToken cancellationToken)
    {
        var acl = HostOwnedNodes.AclOf(hostId, password);
        foreach (var parent in HostOwnedNodes.SubtreeParents.Concat(HostOwnedNodes.NodeParents))
        {
            await EnsureParentAsync(client, parent, cancellationToken);
        }

        if (roles.Contains(EnrollmentRoles.Runner))
        {
            await OwnSubtreeAsync(client, CloudPaths.InspectOf(hostId), acl, cancellationToken);
            await OwnIfPresentAsync(client, CloudPaths.Runner(hostId), acl, cancellationToken);
        }

        if (roles.Contains(EnrollmentRoles.Allocator))
        {
            // The allocator writes the container definitions of its host and its operator meta node.
            await OwnSubtreeAsync(client, CloudPaths.ContainersOf(hostId), acl, cancellationToken);
            await OwnSubtreeAsync(client, CloudPaths.AllocatorMeta(hostId), acl, cancellationToken);

            // The constructor writes purge requests there (as super user); the allocator deletes each once done.
            await client.CreateRecursiveAsync(CloudPaths.AllocatorsPurge, null, cancellationToken);
            await OwnSubtreeAsync(client, CloudPaths.PurgesOf(hostId), acl, cancellationToken);
            await OwnIfPresentAsync(client, CloudPaths.Allocator(hostId), acl, cancellationToken);
        }

        if (roles.Contains(EnrollmentRoles.Proxy))
        {
            await OwnIfPresentAsync(client, CloudPaths.Proxy(hostId), acl, cancellationToken);
        }
    }

    private static async Task EnsureParentAsync(ZooKeeperClient client, string parent, CancellationToken cancellationToken)
    {
        await client.CreateRecursiveAsync(parent, null, cancellationToken);
        await client.SetAclAsync(parent, HostOwnedNodes.ParentAcl, -1, cancellationToken);
    }

    private static async Task OwnSubtreeAsync(ZooKeeperClient client, string root, IReadOnlyList<Acl> acl, CancellationToken cancellationToken)
    {
        try
        {
            await client.CreateAsync(root, [], CreateMode.Persistent, acl, cancellationToken);
            return;
        }
        catch (NodeExistsException)
        {
            // Written before enrollment (or by an earlier one): take it over below.
        }

        await OwnRecursivelyAsync(client, root, acl, cancellationToken);
    }

    private static async Task OwnRecursivelyAsync(ZooKeeperClient client, string path, IReadOnlyList<Acl> acl, CancellationToken cancellationToken)
    {
        try
        {
            await client.SetAclAsync(path, acl, -1, cancellationToken);
            var children = await client.GetChildrenAsync(path, null, cancellationToken);
            foreach (var child in children.Children)
            {
                await OwnRecursivelyAsync(client, path + "/" + child, acl, cancellationToken);
            }
        }
        catch (NoNodeException)
        {
            // Deleted meanwhile by its owner: nothing to protect.
        }
    }

    private static async Task OwnIfPresentAsync(ZooKeeperClient client, string path, IReadOnlyList<Acl> acl, CancellationToken cancellationToken)
    {
        try
        {
            await client.SetAclAsync(path, acl, -1, cancellationToken);
        }
        catch (NoNodeException)
        {
            // Not registered yet: the agent creates it with its own identity's ACL.
        }
    }
}
