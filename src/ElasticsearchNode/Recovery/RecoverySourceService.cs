using System.Collections.Concurrent;
using Cloud.ElasticsearchNode.Cluster;
using Cloud.ElasticsearchNode.Cluster.Coordination;
using Cloud.ElasticsearchNode.Cluster.Transport;
using Cloud.ElasticsearchNode.Engine;
using Cloud.ElasticsearchNode.Errors;
using Cloud.ElasticsearchNode.Indices;
using Cloud.ElasticsearchNode.Replication;
using Microsoft.Extensions.Logging;

namespace Cloud.ElasticsearchNode.Recovery;

/// <summary>
/// The primary's side of peer recovery. Before it pins a commit it waits until its own routing table
/// holds the target, so every write from then on is also sent to the target; the operations after the
/// commit stay in its translog (history retention) until the target has read them.
/// </summary>
internal sealed partial class RecoverySourceService(ClusterNode node, IndicesService indices, PrimaryPermits permits, TimeProvider time, ILogger<RecoverySourceService> logger)
{
    private const int MaxChunkBytes = 16 * 1024 * 1024;
    private static readonly TimeSpan Expiry = TimeSpan.FromHours(1);
    private static readonly TimeSpan HandOffTimeout = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, Ongoing> _ongoing = new(StringComparer.Ordinal);

    public int Count => _ongoing.Count;

    public void Register()
    {
        var transport = node.Transport;
        transport.Register<StartRecoveryRequest, StartRecoveryResponse>(RecoveryActions.Start, StartAsync);
        transport.RegisterWithAttachment<RecoveryChunkRequest, RecoveryChunkResponse>(RecoveryActions.Chunk, ReadChunkAsync);
        transport.Register<RecoveryOperationsRequest, RecoveryOperationsResponse>(RecoveryActions.Operations, (r, _) => Task.FromResult(Operations(r)));
        transport.Register<FinishRecoveryRequest, Empty>(RecoveryActions.Finish, async (r, ct) =>
        {
            try
            {
                await HandOffIfRelocatingAsync(r.RecoveryId, ct);
            }
            finally
            {
                Release(r.RecoveryId);
            }

            return Empty.Instance;
        });
    }

    /// <summary>
    /// At the end of a primary relocation's recovery: stop writing as primary and wait for the writes in flight,
    /// which reach the target as a copy; once this returns the target has every operation this primary acknowledged.
    /// </summary>
    private async Task HandOffIfRelocatingAsync(string recoveryId, CancellationToken cancellationToken)
    {
        if (!_ongoing.TryGetValue(recoveryId, out var ongoing)
            || !node.State.Routing.Shards.Any(c => c.AllocationId == ongoing.TargetAllocationId && c.IsRelocationTarget && c.Primary))
        {
            return;
        }

        await permits.HandOffAsync(ongoing.Shard, ongoing.TargetAllocationId, HandOffTimeout, cancellationToken);
        LogHandedOff(ongoing.Shard.ShardId, ongoing.TargetAllocationId);
    }

    private async Task<StartRecoveryResponse> StartAsync(StartRecoveryRequest request, CancellationToken cancellationToken)
    {
        foreach (var (id, stale) in _ongoing)
        {
            if (time.GetUtcNow() - stale.Started > Expiry)
            {
                Release(id);
            }
        }

        var (met, _) = await node.Coordinator.WaitForAsync(s => s.Routing.Shards.Any(c => c.AllocationId == request.TargetAllocationId), TimeSpan.FromSeconds(30), cancellationToken);
        if (!met)
        {
            throw new ElasticsearchException("shard_not_found_exception", $"recovery target [{request.TargetAllocationId}] is not in this node's routing table", 404);
        }

        var shard = indices.Get(request.IndexUuid)?.Shards[request.Shard].Shard
            ?? throw new ElasticsearchException("shard_not_found_exception", $"no active copy of [{request.IndexUuid}][{request.Shard}] on this node", 404);
        var retention = shard.RetainHistory();
        ShardCommitSnapshot snapshot;
        try
        {
            snapshot = shard.AcquireCommitSnapshot();
        }
        catch
        {
            retention.Dispose();
            throw;
        }

        var recoveryId = Guid.NewGuid().ToString("N");
        _ongoing[recoveryId] = new Ongoing(shard, request.TargetAllocationId, snapshot, retention, time.GetUtcNow(), [.. snapshot.Files]);
        var files = snapshot.Files.Select(f => new RecoveryFile(f, new FileInfo(Path.Combine(snapshot.Directory, f)).Length)).ToList();
        var bytes = files.Sum(f => f.Length);
        var name = shard.ShardId.ToString();
        LogStarted(name, request.TargetAllocationId, files.Count, bytes, snapshot.LocalCheckpoint);
        return new StartRecoveryResponse(recoveryId, files, snapshot.LocalCheckpoint);
    }

    /// <summary>Reads the chunk from the pinned commit into a pooled buffer that the transport sends raw and then returns.</summary>
    private async Task<(RecoveryChunkResponse, TransportAttachment?)> ReadChunkAsync(RecoveryChunkRequest request, CancellationToken cancellationToken)
    {
        var ongoing = Find(request.RecoveryId);
        if (!ongoing.Files.Contains(request.Name))
        {
            throw ElasticsearchException.IllegalArgument($"[{request.Name}] is not a file of the recovering commit");
        }

        var chunk = TransportAttachment.Rent(Math.Clamp(request.Length, 0, MaxChunkBytes));
        try
        {
            using var file = File.OpenHandle(Path.Combine(ongoing.Snapshot.Directory, request.Name), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var read = 0;
            while (read < chunk.Length)
            {
                var n = await RandomAccess.ReadAsync(file, chunk.Memory[read..], request.Offset + read, cancellationToken);
                if (n == 0)
                {
                    break;
                }

                read += n;
            }

            chunk.Truncate(read);
            return (new RecoveryChunkResponse(read), chunk);
        }
        catch
        {
            chunk.Dispose();
            throw;
        }
    }

    private RecoveryOperationsResponse Operations(RecoveryOperationsRequest request)
    {
        var shard = Find(request.RecoveryId).Shard;
        var operations = shard.OperationsSince(request.AfterSeqNo)
            ?? throw new ElasticsearchException("illegal_state_exception", $"history of {shard.ShardId} after [{request.AfterSeqNo}] is no longer available", 500);
        return new RecoveryOperationsResponse([.. operations.Take(Math.Clamp(request.Limit, 1, 10_000))], shard.MaxSeqNo, shard.LocalCheckpoint);
    }

    private Ongoing Find(string recoveryId) =>
        _ongoing.TryGetValue(recoveryId, out var ongoing) ? ongoing : throw new ElasticsearchException("resource_not_found_exception", $"recovery [{recoveryId}] is unknown", 404);

    private void Release(string recoveryId)
    {
        if (_ongoing.TryRemove(recoveryId, out var ongoing))
        {
            ongoing.Snapshot.Dispose();
            ongoing.Retention.Dispose();
        }
    }

    private sealed record Ongoing(IndexShard Shard, string TargetAllocationId, ShardCommitSnapshot Snapshot, IDisposable Retention, DateTimeOffset Started, HashSet<string> Files);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Shard}: primary handed off to relocation target [{Target}], writes in flight done")]
    private partial void LogHandedOff(ShardId shard, string target);

    [LoggerMessage(Level = LogLevel.Information, Message = "recovery of {Shard} to [{Target}]: {Files} files, {Bytes} bytes, commit checkpoint {Checkpoint}")]
    private partial void LogStarted(string shard, string target, int files, long bytes, long checkpoint);
}
