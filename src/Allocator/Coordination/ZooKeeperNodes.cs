using Cloud.ZooKeeper;

namespace Cloud.Allocator.Coordination;

/// <summary>The few read and write shapes the allocator needs on top of the client's operations.</summary>
internal static class ZooKeeperNodes
{
    /// <summary>The node's data, or null when it does not exist (a watcher then fires on its creation).</summary>
    public static async Task<DataResult?> TryGetDataAsync(ZooKeeperClient client, string path, Watcher? watcher, CancellationToken cancellationToken)
    {
        try
        {
            return await client.GetDataAsync(path, watcher, cancellationToken);
        }
        catch (NoNodeException)
        {
            if (watcher is not null)
            {
                // Leave an exist watch so the node's creation wakes the caller.
                _ = await client.ExistsAsync(path, watcher, cancellationToken);
            }

            return null;
        }
    }

    /// <summary>The node's children, or none when the node does not exist.</summary>
    public static async Task<IReadOnlyList<string>> ChildrenOrEmptyAsync(ZooKeeperClient client, string path, Watcher? watcher, CancellationToken cancellationToken) =>
        await TryGetChildrenAsync(client, path, watcher, cancellationToken) ?? [];

    /// <summary>The node's children, or null when the node does not exist (a watcher then fires on its creation).</summary>
    public static async Task<IReadOnlyList<string>?> TryGetChildrenAsync(ZooKeeperClient client, string path, Watcher? watcher, CancellationToken cancellationToken)
    {
        try
        {
            return (await client.GetChildrenAsync(path, watcher, cancellationToken)).Children;
        }
        catch (NoNodeException)
        {
            if (watcher is not null)
            {
                _ = await client.ExistsAsync(path, watcher, cancellationToken);
            }

            return null;
        }
    }

    /// <summary>Creates a node under parents created on demand; throws <see cref="NodeExistsException"/> when it exists.</summary>
    public static async Task CreateAsync(ZooKeeperClient client, string path, byte[] data, CreateMode mode, CancellationToken cancellationToken)
    {
        var parent = path[..path.LastIndexOf('/')];
        if (parent.Length > 0)
        {
            await client.CreateRecursiveAsync(parent, null, cancellationToken);
        }

        await client.CreateAsync(path, data, mode, null, cancellationToken);
    }

    /// <summary>Deletes a node if it is there (at <paramref name="version"/>, or any version with -1).</summary>
    public static async Task<bool> DeleteIfExistsAsync(ZooKeeperClient client, string path, int version, CancellationToken cancellationToken)
    {
        try
        {
            await client.DeleteAsync(path, version, cancellationToken);
            return true;
        }
        catch (NoNodeException)
        {
            return false;
        }
    }
}
