using System.Globalization;

namespace Cloud.ZooKeeper.Recipes;

/// <summary>
/// The queue behind the lock and election recipes: each contender owns an ephemeral sequential child
/// named "{guid}-{prefix}-{sequence}"; the lowest sequence is first. Each contender watches only its
/// predecessor (no herd effect). The guid finds our node again when a create's reply was lost.
/// </summary>
internal sealed class SequentialNodeQueue(ZooKeeperClient client, string path, string prefix, byte[] data)
{
    private static readonly Backoff QueueBackoff = new(TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(2));

    private readonly string _guid = Guid.NewGuid().ToString("N");

    /// <summary>Waits until our node is first; returns its path. Deletes it when cancelled.</summary>
    public async Task<string> EnterAsync(CancellationToken cancellationToken)
    {
        string? node = null;
        long session = 0;
        var failures = 0;
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                try
                {
                    if (node is null || session != client.SessionId)
                    {
                        session = client.SessionId;
                        node = await FindOrCreateAsync(cancellationToken).ConfigureAwait(false);
                    }

                    var ordered = await OrderedAsync(cancellationToken).ConfigureAwait(false);
                    var index = ordered.IndexOf(ZPaths.Name(node));
                    if (index < 0)
                    {
                        node = null;
                        continue;
                    }

                    if (index == 0)
                    {
                        return node;
                    }

                    var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    var watcher = Watcher.Create(_ =>
                    {
                        changed.TrySetResult();
                        return Task.CompletedTask;
                    });
                    if (await client.ExistsAsync(ZPaths.Combine(path, ordered[index - 1]), watcher, cancellationToken).ConfigureAwait(false) is not null)
                    {
                        await changed.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
                    }

                    failures = 0;
                }
                catch (Exception ex) when (RetryableErrors.IsRetryable(ex) && !cancellationToken.IsCancellationRequested)
                {
                    await QueueBackoff.WaitAsync(++failures, client.Options.TimeProvider, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
            if (node is not null)
            {
                await DeleteQuietlyAsync(node).ConfigureAwait(false);
            }

            throw;
        }
    }

    public async Task DeleteQuietlyAsync(string node)
    {
        try
        {
            await client.DeleteAsync(node).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ZooKeeperException or ObjectDisposedException)
        {
            // Gone already, or the session ends and takes the ephemeral node with it.
        }
    }

    /// <summary>The participants' node names, first in line first.</summary>
    public async Task<List<string>> OrderedAsync(CancellationToken cancellationToken)
    {
        var children = await client.GetChildrenAsync(path, null, cancellationToken).ConfigureAwait(false);
        return [.. children.Children.Where(IsContender).OrderBy(Sequence).ThenBy(n => n, StringComparer.Ordinal)];
    }

    private async Task<string> FindOrCreateAsync(CancellationToken cancellationToken)
    {
        await client.CreateRecursiveAsync(path, null, cancellationToken).ConfigureAwait(false);
        var mine = (await client.GetChildrenAsync(path, null, cancellationToken).ConfigureAwait(false)).Children
            .FirstOrDefault(n => n.StartsWith(_guid, StringComparison.Ordinal));
        if (mine is not null)
        {
            var existing = ZPaths.Combine(path, mine);
            var stat = await client.ExistsAsync(existing, null, cancellationToken).ConfigureAwait(false);
            if (stat is not null && stat.EphemeralOwner == client.SessionId)
            {
                return existing;
            }
        }

        return await client.CreateAsync(ZPaths.Combine(path, $"{_guid}-{prefix}-"), data, CreateMode.EphemeralSequential, null, cancellationToken).ConfigureAwait(false);
    }

    private bool IsContender(string name) => name.Length > 10 && name.Contains($"-{prefix}-", StringComparison.Ordinal) && Sequence(name) >= 0;

    private static long Sequence(string name) =>
        long.TryParse(name.AsSpan(name.Length - 10), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence) ? sequence : -1;
}
