namespace Cloud.ZooKeeper;

/// <summary>The one "make this persistent node hold this value" every role needs, races with other writers included.</summary>
public static class Upserts
{
    /// <summary>
    /// Sets <paramref name="path"/> to <paramref name="data"/>, creating it and any missing parent when absent; a
    /// create that another writer won becomes a set. With <paramref name="skipIfSame"/> an equal value is not
    /// written again (no version bump, so no watch fires for nothing) and a write raced in between is compared again.
    /// </summary>
    /// <returns>Whether the node's data was written.</returns>
    public static async Task<bool> UpsertAsync(this ZooKeeperClient client, string path, byte[] data, bool skipIfSame = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(data);
        while (true)
        {
            try
            {
                if (!skipIfSame)
                {
                    await client.SetDataAsync(path, data, -1, cancellationToken).ConfigureAwait(false);
                    return true;
                }

                var existing = await client.GetDataAsync(path, null, cancellationToken).ConfigureAwait(false);
                if (existing.Data.AsSpan().SequenceEqual(data))
                {
                    return false;
                }

                await client.SetDataAsync(path, data, existing.Stat.Version, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (NoNodeException)
            {
                if (await TryCreateAsync(client, path, data, cancellationToken).ConfigureAwait(false))
                {
                    return true;
                }
            }
            catch (BadVersionException) when (skipIfSame)
            {
                // Written in between: compare with what is there now.
            }
        }
    }

    private static async Task<bool> TryCreateAsync(ZooKeeperClient client, string path, byte[] data, CancellationToken cancellationToken)
    {
        var parent = Recipes.ZPaths.Parent(path);
        if (parent != "/")
        {
            await client.CreateRecursiveAsync(parent, null, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            await client.CreateAsync(path, data, CreateMode.Persistent, null, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (NodeExistsException)
        {
            return false;
        }
    }
}
