namespace Cloud.ZooKeeper.Recipes;

/// <summary>A held <see cref="DistributedLock"/>; disposing deletes the lock node and lets the next contender in.</summary>
internal sealed class LockHandle(SequentialNodeQueue queue, string node) : IAsyncDisposable
{
    private int _released;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            await queue.DeleteQuietlyAsync(node).ConfigureAwait(false);
        }
    }
}
