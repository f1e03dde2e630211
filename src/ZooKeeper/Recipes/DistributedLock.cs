using System.Text;

namespace Cloud.ZooKeeper.Recipes;

/// <summary>
/// A fair, exclusive lock: contenders queue as ephemeral sequential nodes under <c>path</c>. The lock is
/// released by disposing the handle, or by the holder's session ending.
/// </summary>
public sealed class DistributedLock
{
    private readonly ZooKeeperClient _client;
    private readonly string _path;

    public DistributedLock(ZooKeeperClient client, string path)
    {
        ArgumentNullException.ThrowIfNull(client);
        PathValidator.Validate(path);
        _client = client;
        _path = path;
    }

    /// <summary>Waits until the lock is held; dispose the result to release it, and watch its <see cref="LockHandle.Lost"/>.</summary>
    public async Task<LockHandle> AcquireAsync(CancellationToken cancellationToken = default)
    {
        var queue = new SequentialNodeQueue(_client, _path, "lock", Encoding.UTF8.GetBytes(Environment.MachineName));
        var node = await queue.EnterAsync(cancellationToken).ConfigureAwait(false);
        var held = new Leadership(_client, queue, node, Environment.MachineName);
        await held.WatchAsync(cancellationToken).ConfigureAwait(false);
        return new LockHandle(held);
    }
}
