namespace Cloud.ZooKeeper.Recipes;

/// <summary>
/// A held <see cref="DistributedLock"/>. <see cref="Lost"/> is cancelled as soon as the lock can no longer
/// be trusted (connection dropped, session expired, node deleted), exactly as for <see cref="Leadership"/>,
/// whose node-holding it shares. Disposing deletes the lock node and lets the next contender in.
/// </summary>
public sealed class LockHandle : IAsyncDisposable
{
    private readonly Leadership _held;

    internal LockHandle(Leadership held) => _held = held;

    public CancellationToken Lost => _held.Lost;

    public bool IsLost => _held.IsLost;

    public ValueTask DisposeAsync() => _held.DisposeAsync();
}
