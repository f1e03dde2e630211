using System.Runtime.CompilerServices;
using Cloud.ElasticsearchNode.Engine;

namespace Cloud.ElasticsearchNode.Replication;

/// <summary>
/// Elasticsearch's primary operation permits, for the relocation hand-off: every write a primary executes holds a
/// permit until it is replicated; <see cref="HandOffAsync"/> refuses new permits and waits until the writes in
/// flight are done, so the relocation target, which received every one of them as a copy, has the whole history
/// before it becomes the primary. The old primary refuses writes from then on (the coordinator retries on the
/// next cluster state) unless the relocation is cancelled and <see cref="Resume"/> is called.
/// </summary>
internal sealed class PrimaryPermits
{
    private readonly ConditionalWeakTable<IndexShard, Permits> _shards = [];

    /// <summary>A permit to write as primary, or null when the shard was handed off (to <see cref="HandedOffTo"/>).</summary>
    public IDisposable? TryAcquire(IndexShard shard)
    {
        var permits = _shards.GetValue(shard, _ => new Permits());
        lock (permits)
        {
            if (permits.HandedOffTo is not null)
            {
                return null;
            }

            permits.InFlight++;
            return new Permit(permits);
        }
    }

    /// <summary>The relocation target's allocation id once the shard has been handed off, else null.</summary>
    public string? HandedOffTo(IndexShard shard) => _shards.TryGetValue(shard, out var permits) ? permits.HandedOffTo : null;

    /// <summary>Refuses new permits and waits for every permit in flight; on timeout or cancellation, resumes and throws.</summary>
    public async Task HandOffAsync(IndexShard shard, string targetAllocationId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var permits = _shards.GetValue(shard, _ => new Permits());
        Task drained;
        lock (permits)
        {
            permits.HandedOffTo = targetAllocationId;
            drained = permits.InFlight == 0 ? Task.CompletedTask : (permits.Drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }

        try
        {
            await drained.WaitAsync(timeout, cancellationToken);
        }
        catch
        {
            Resume(shard);
            throw;
        }
    }

    /// <summary>Accepts writes again: the relocation this shard was handed off for did not complete.</summary>
    public void Resume(IndexShard shard)
    {
        if (_shards.TryGetValue(shard, out var permits))
        {
            lock (permits)
            {
                permits.HandedOffTo = null;
            }
        }
    }

    private sealed class Permits
    {
        public int InFlight { get; set; }

        public string? HandedOffTo { get; set; }

        public TaskCompletionSource? Drained { get; set; }
    }

    private sealed class Permit(Permits permits) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) != 0)
            {
                return;
            }

            lock (permits)
            {
                if (--permits.InFlight == 0 && permits.Drained is { } drained)
                {
                    permits.Drained = null;
                    drained.TrySetResult();
                }
            }
        }
    }
}
