using System.Collections.Concurrent;
using Cloud.ElasticsearchNode.Cluster;
using Cloud.ElasticsearchNode.Cluster.Coordination;
using Cloud.ElasticsearchNode.Cluster.State;
using Cloud.ElasticsearchNode.Cluster.Transport;
using Cloud.ElasticsearchNode.Documents;
using Cloud.ElasticsearchNode.Engine;
using Cloud.ElasticsearchNode.Errors;
using Cloud.ElasticsearchNode.Indices;
using Microsoft.Extensions.Logging;
using ShardRouting = Cloud.ElasticsearchNode.Cluster.State.ShardRouting;

namespace Cloud.ElasticsearchNode.Replication;

/// <summary>
/// Elasticsearch's primary-replica resync, after a replica is promoted (its primary term goes up). The old primary
/// may have sent its last operations to some copies and not to others, so the copies can differ above the lowest
/// local checkpoint among them (the floor; below it every copy holds every operation). The new primary takes the
/// new term on every copy (they refuse the old primary from then on), collects the ids each copy and itself wrote
/// above the floor, numbers its own sequence past the highest any copy has seen (filling what it never received
/// with no-ops), and writes its own current version of each of those ids again (a delete where it has none) as new
/// operations replicated to every copy. Every copy then holds what the primary holds: nothing the primary lacks, and
/// every later write of an id wins over what an old operation left there. A copy whose history no longer reaches
/// the floor is failed and recovers from the primary's files. Writes to the new primary wait for the resync.
/// </summary>
internal sealed partial class PrimaryResync(ClusterNode node, IndicesService indices, ShardReplicationService replication, ILogger logger)
{
    private const int BatchSize = 256;
    private static readonly TimeSpan PrepareTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan CatchUpTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);
    private readonly ConcurrentDictionary<string, (long Term, Task Done, bool Reopened)> _resyncs = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private (long Term, long Version) _processed = (-1, -1);
    private TaskCompletionSource _processedChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Register()
    {
        node.Coordinator.AddApplier(ApplyAsync);
        node.Transport.Register<ResyncPrepareRequest, ResyncPrepareResponse>(ResyncActions.Prepare, PrepareAsync);
        node.Transport.Register<ResyncFinishRequest, Empty>(ResyncActions.Finish, FinishAsync);
    }

    /// <summary>Before a primary writes under <paramref name="state"/>: waits for the resync its promotion started, if any.</summary>
    public async Task WaitAsync(ClusterState state, string allocationId, long term, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        await ProcessedAsync(state, cancellationToken);
        if (_resyncs.TryGetValue(allocationId, out var resync) && resync.Term == term)
        {
            await resync.Done.WaitAsync(cancellationToken);
        }
    }

    /// <summary>The applier that starts resyncs may not have seen the state a write was routed by yet: wait for it (bounded).</summary>
    private async Task ProcessedAsync(ClusterState state, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(CatchUpTimeout);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (_processed.Term > state.Term || (_processed.Term == state.Term && _processed.Version >= state.Version))
                {
                    return;
                }

                changed = _processedChanged.Task;
            }

            try
            {
                await changed.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private Task ApplyAsync(ClusterState previous, ClusterState current, CancellationToken stopping)
    {
        var local = node.LocalNode.Id;
        var mine = current.Routing.Shards.Where(s => s.NodeId == local && s.AllocationId is not null).ToList();
        foreach (var allocationId in _resyncs.Keys.Where(a => !mine.Any(s => s.AllocationId == a)))
        {
            _resyncs.TryRemove(allocationId, out _);
        }

        foreach (var copy in mine.Where(s => s.Primary && s.Active))
        {
            if (!current.Metadata.Indices.TryGetValue(copy.Index, out var index))
            {
                continue;
            }

            var term = index.PrimaryTerms[copy.Shard];
            var known = _resyncs.TryGetValue(copy.AllocationId!, out var running);
            if (known && running.Term == term)
            {
                continue;
            }

            if (known && running.Reopened && term > running.Term)
            {
                // The new term a reopened primary asked for: its resync runs in it, and writes routed by this state wait for it too.
                _resyncs[copy.AllocationId!] = (term, running.Done, true);
                continue;
            }

            var before = previous.Routing.Shards.FirstOrDefault(s => s.AllocationId == copy.AllocationId);
            var termBefore = previous.Metadata.Indices.TryGetValue(copy.Index, out var old) && old.Uuid == index.Uuid ? old.PrimaryTerms[copy.Shard] : term;
            var promoted = before is { Primary: false } && termBefore < term;

            // Already an active primary, yet new to this process: the node restarted and came back before the master
            // noticed, so a resync it had begun may not have finished (and its copies may hold operations it lost).
            var reopened = !promoted && !known && (before is null or { Primary: true, Active: true });
            if (promoted || (reopened && current.MasterNodeId is not null))
            {
                if (reopened)
                {
                    LogResuming(copy.Index, copy.Shard, term);
                }

                _resyncs[copy.AllocationId!] = reopened
                    ? (term, Task.Run(() => ReopenAsync(copy, term, stopping), CancellationToken.None), true)
                    : (term, Task.Run(() => ResyncAsync(copy, index, term, stopping), CancellationToken.None), false);
            }
            else if (!reopened)
            {
                // Became primary by starting or by a relocation hand-off: its copies recovered from it, nothing to reconcile.
                _resyncs[copy.AllocationId!] = (term, Task.CompletedTask, false);
            }
        }

        lock (_gate)
        {
            _processed = (current.Term, current.Version);
            var changed = _processedChanged;
            _processedChanged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            changed.TrySetResult();
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// A primary reopened from its own files first takes a new term from the master (writes wait meanwhile), then resyncs
    /// its copies in it: that finishes a resync the restart cut short and undoes operations its copies got that it lost.
    /// </summary>
    private async Task ReopenAsync(ShardRouting copy, long reopenedTerm, CancellationToken stopping)
    {
        long? term;
        try
        {
            term = await PrimaryTermBump.RequestAsync(node, copy, reopenedTerm, stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            return;
        }

        if (term is null || !node.State.Metadata.Indices.TryGetValue(copy.Index, out var index))
        {
            return;
        }

        LogNewTerm(copy.Index, copy.Shard, reopenedTerm, index.PrimaryTerms[copy.Shard]);
        await ResyncAsync(copy, index, index.PrimaryTerms[copy.Shard], stopping);
    }

    /// <summary>Retries until the resync is done or this copy is no longer the primary of that term; writes wait for it either way.</summary>
    private async Task ResyncAsync(ShardRouting copy, ClusterIndex index, long term, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await ResyncOnceAsync(copy, index, term, stopping);
                return;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogResyncFailed(ex, copy.Index, copy.Shard, term);
                var state = node.State;
                var stillPrimary = state.Routing.Shards.Any(s => s.AllocationId == copy.AllocationId && s.Primary && s.NodeId == node.LocalNode.Id)
                    && state.Metadata.Indices.TryGetValue(copy.Index, out var now) && now.PrimaryTerms[copy.Shard] == term;
                if (!stillPrimary)
                {
                    return;
                }

                await Task.Delay(RetryDelay, stopping);
            }
        }
    }

    private async Task ResyncOnceAsync(ShardRouting copy, ClusterIndex index, long term, CancellationToken stopping)
    {
        var shard = indices.Get(index.Uuid)?.Shards[copy.Shard].Shard
            ?? throw new ElasticsearchException("shard_not_found_exception", $"[{copy.Index}][{copy.Shard}] is not open on [{node.LocalNode.Name}]", 404, copy.Index);
        shard.RaisePrimaryTerm(term);

        // A recovery of a new copy flushes this primary meanwhile: its translog must still reach the floor after that.
        using var history = shard.RetainHistory();
        var state = node.State;
        var others = state.Routing.CopiesOf(copy.Id)
            .Where(c => c.AllocationId is not null && c.AllocationId != copy.AllocationId && c.NodeId is not null && c.Active)
            .ToList();
        var checkpoint = shard.LocalCheckpoint;
        var prepared = await Task.WhenAll(others.Select(c => PrepareCopyAsync(state, c, index.Uuid, term, checkpoint, stopping)));
        var ready = new List<(ShardRouting Copy, ResyncPrepareResponse Info)>();
        foreach (var (other, info, reason) in prepared)
        {
            if (info?.Ids is null)
            {
                await replication.FailCopyAsync(other, term, "primary-replica resync: " + reason, stopping);
            }
            else
            {
                ready.Add((other, info));
            }
        }

        var floor = ready.Select(r => r.Info.Floor).Append(checkpoint).Min();
        var upTo = ready.Select(r => r.Info.MaxSeqNo).Append(shard.MaxSeqNo).Max();
        IReadOnlyCollection<string>? own = ready.Count == 0 ? [] : shard.IdsWrittenAbove(floor);
        if (own is null)
        {
            // This primary's own history no longer reaches the floor: its copies start over from its files.
            foreach (var (other, _) in ready)
            {
                await replication.FailCopyAsync(other, term, "primary-replica resync: the primary's history does not reach the copies' checkpoint", stopping);
            }

            ready.Clear();
            own = [];
        }

        var location = shard.FillSeqNoGaps(upTo);
        var ids = own.Concat(ready.SelectMany(r => r.Info.Ids!)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (ids.Count > 0)
        {
            shard.Refresh();
        }

        foreach (var chunk in ids.Chunk(BatchSize))
        {
            var operations = new List<ShardOperation>(chunk.Length);
            foreach (var id in chunk)
            {
                operations.Add(shard.Reissue(id, out var at));
                location = Math.Max(location, at);
            }

            await shard.SyncAsync(location, stopping);
            await replication.ReplicateAsync(copy.Id, index, term, copy.AllocationId!, operations, RefreshPolicy.None, stopping);
        }

        if (location > 0)
        {
            await shard.SyncAsync(location, stopping);
        }

        await Task.WhenAll(ready.Select(r => FinishCopyAsync(state, r.Copy, index.Uuid, term, upTo, stopping)));
        LogResynced(copy.Index, copy.Shard, term, ready.Count, floor, upTo, ids.Count);
    }

    private async Task<(ShardRouting Copy, ResyncPrepareResponse? Info, string Reason)> PrepareCopyAsync(
        ClusterState state, ShardRouting copy, string indexUuid, long term, long checkpoint, CancellationToken stopping)
    {
        if (!state.Nodes.TryGetValue(copy.NodeId!, out var target))
        {
            return (copy, null, $"node [{copy.NodeId}] left the cluster");
        }

        try
        {
            var info = await node.Transport.SendAsync<ResyncPrepareRequest, ResyncPrepareResponse>(target.TransportAddress, ResyncActions.Prepare,
                new ResyncPrepareRequest(indexUuid, copy.Shard, copy.AllocationId!, term, checkpoint), PrepareTimeout, stopping);
            return (copy, info, info.Ids is null ? $"its history does not reach back to seq_no {info.Floor}" : string.Empty);
        }
        catch (TransportException ex)
        {
            return (copy, null, ex.Message);
        }
    }

    private async Task FinishCopyAsync(ClusterState state, ShardRouting copy, string indexUuid, long term, long upTo, CancellationToken stopping)
    {
        try
        {
            if (state.Nodes.TryGetValue(copy.NodeId!, out var target))
            {
                await node.Transport.SendAsync<ResyncFinishRequest, Empty>(target.TransportAddress, ResyncActions.Finish,
                    new ResyncFinishRequest(indexUuid, copy.Shard, copy.AllocationId!, term, upTo), PrepareTimeout, stopping);
            }
        }
        catch (TransportException ex)
        {
            // The copy holds the primary's documents already; without the no-ops only its checkpoint lags (a later resync reaches further back).
            LogFinishFailed(copy.Index, copy.Shard, copy.NodeId!, ex.Message);
        }
    }

    /// <summary>On a copy: take the new primary's term, then report what this copy wrote above the floor.</summary>
    private async Task<ResyncPrepareResponse> PrepareAsync(ResyncPrepareRequest request, CancellationToken cancellationToken)
    {
        var shard = await CopyAsync(request.IndexUuid, request.Shard, request.AllocationId, request.PrimaryTerm, cancellationToken);
        var floor = Math.Min(shard.LocalCheckpoint, request.PrimaryCheckpoint);
        var ids = shard.IdsWrittenAbove(floor);
        return new ResyncPrepareResponse(shard.LocalCheckpoint, shard.MaxSeqNo, floor, ids?.ToList());
    }

    private async Task<Empty> FinishAsync(ResyncFinishRequest request, CancellationToken cancellationToken)
    {
        var shard = await CopyAsync(request.IndexUuid, request.Shard, request.AllocationId, request.PrimaryTerm, cancellationToken);
        var location = shard.FillSeqNoGaps(request.UpTo);
        if (location > 0)
        {
            await shard.SyncAsync(location, cancellationToken);
        }

        return Empty.Instance;
    }

    /// <summary>This node's open copy, once its state has the new primary's term (so it refuses the old primary's operations).</summary>
    private async Task<IndexShard> CopyAsync(string indexUuid, int number, string allocationId, long term, CancellationToken cancellationToken)
    {
        var local = node.LocalNode.Id;
        var (met, _) = await node.Coordinator.WaitForAsync(s =>
            s.Routing.Shards.Any(c => c.AllocationId == allocationId && c.NodeId == local)
            && s.Metadata.Indices.Values.Any(i => i.Uuid == indexUuid && i.PrimaryTerms[number] >= term), CatchUpTimeout, cancellationToken);
        var shard = met ? indices.Get(indexUuid)?.Shards[number].Shard : null;
        if (shard is null)
        {
            throw new ElasticsearchException("shard_not_found_exception", $"copy [{allocationId}] is not open on [{node.LocalNode.Name}] in primary term [{term}]", 404);
        }

        if (shard.PrimaryTerm > term)
        {
            throw new ElasticsearchException("illegal_state_exception", $"resync primary term [{term}] is too old (current [{shard.PrimaryTerm}])", 409);
        }

        // Waits for the old primary's operations this copy is applying: what it reports next includes them all.
        shard.RaisePrimaryTerm(term);
        return shard;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "[{Index}][{Shard}] resynced {Copies} copies in primary term {Term}: floor seq_no {Floor}, numbering from {UpTo}, {Ids} ids written again")]
    private partial void LogResynced(string index, int shard, long term, int copies, long floor, long upTo, int ids);

    [LoggerMessage(Level = LogLevel.Information, Message = "[{Index}][{Shard}] reopened as the active primary of term {Term}: asking for a new term, then resyncing its copies (again)")]
    private partial void LogResuming(string index, int shard, long term);

    [LoggerMessage(Level = LogLevel.Information, Message = "[{Index}][{Shard}] reopened primary moved from term {Old} to {Term}")]
    private partial void LogNewTerm(string index, int shard, long old, long term);

    [LoggerMessage(Level = LogLevel.Warning, Message = "[{Index}][{Shard}] primary-replica resync in term {Term} failed; retrying while still primary")]
    private partial void LogResyncFailed(Exception exception, string index, int shard, long term);

    [LoggerMessage(Level = LogLevel.Information, Message = "[{Index}][{Shard}] resync: filling the no-ops on [{Node}] failed: {Reason}")]
    private partial void LogFinishFailed(string index, int shard, string node, string reason);
}
