using System.Collections.Concurrent;
using Cloud.ElasticsearchNode.Cluster;
using Cloud.ElasticsearchNode.Cluster.Coordination;
using Cloud.ElasticsearchNode.Cluster.Shards;
using Cloud.ElasticsearchNode.Cluster.State;
using Cloud.ElasticsearchNode.Cluster.Transport;
using Cloud.ElasticsearchNode.Recovery;
using Microsoft.Extensions.Logging;

namespace Cloud.ElasticsearchNode.Indices;

/// <summary>
/// Keeps this node's shards in line with every applied cluster state: indices opened, updated and
/// removed as the metadata says; a copy assigned here is opened from the local store (a primary) or
/// recovered from the primary (a replica or relocation target), then reported started to the master;
/// a copy no longer assigned here is closed and its files deleted.
/// </summary>
internal sealed partial class ClusterShardsApplier(ClusterNode node, IndicesService indices, ClusterIndexMetadataService metadata, RecoveryTracker tracker, TimeProvider time, ILogger<ClusterShardsApplier> logger)
{
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _recoveries = new(StringComparer.Ordinal);

    public void Register() => node.Coordinator.AddApplier(ApplyAsync);

    private Task ApplyAsync(ClusterState previous, ClusterState current, CancellationToken stopping)
    {
        indices.Apply(metadata.ViewOf(current), openShards: false);
        var local = node.LocalNode.Id;
        var mine = current.Routing.Shards.Where(s => s.NodeId == local).ToList();

        // Copies that left this node: cancel their recovery, close them, delete their files.
        foreach (var (allocationId, recovery) in _recoveries)
        {
            if (!mine.Any(s => s.AllocationId == allocationId) && _recoveries.TryRemove(allocationId, out _))
            {
                recovery.Cancel();
            }
        }

        foreach (var service in indices.All)
        {
            foreach (var slot in service.Shards.Where(s => s.Allocated))
            {
                var assigned = mine.FirstOrDefault(s => s.Index == service.Metadata.Name && s.Shard == slot.Number);
                if (assigned is null)
                {
                    LogClosed(service.Metadata.Name, slot.Number);
                    service.CloseShard(slot.Number, deleteFiles: true);
                }
                else if (slot.IsStarted && slot.AllocationId != assigned.AllocationId)
                {
                    // An older copy of this shard (this node was removed and rejoined: a partition, a restart the master
                    // noticed) must not serve reads or take writes meant for the new copy while that one recovers.
                    // Its files stay: a primary reassigned here from its local store reopens them.
                    LogClosedStale(service.Metadata.Name, slot.Number, slot.AllocationId ?? "?", assigned.AllocationId ?? "?");
                    service.CloseShard(slot.Number, deleteFiles: false, onlyCopy: slot.AllocationId);
                }
            }
        }

        foreach (var copy in mine)
        {
            if (!current.Metadata.Indices.TryGetValue(copy.Index, out var index) || indices.Get(index.Uuid) is not { } service)
            {
                continue;
            }

            switch (copy.State)
            {
                case ShardRoutingState.Started or ShardRoutingState.Relocating:
                    if (!service.Shards[copy.Shard].IsStarted && !_recoveries.ContainsKey(copy.AllocationId!))
                    {
                        OpenLocal(service, copy, stopping);
                    }

                    break;
                case ShardRoutingState.Initializing when copy.Primary && !copy.IsRelocationTarget:
                    // A new primary starts empty; an existing one comes back from its own files and translog.
                    if (_recoveries.TryAdd(copy.AllocationId!, new CancellationTokenSource()))
                    {
                        _ = Task.Run(() => StartLocalPrimaryAsync(service, copy, stopping), stopping);
                    }

                    break;
                case ShardRoutingState.Initializing:
                    var cancel = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                    if (_recoveries.TryAdd(copy.AllocationId!, cancel))
                    {
                        _ = Task.Run(() => RecoverFromPrimaryAsync(service, copy, cancel.Token), stopping);
                    }
                    else
                    {
                        cancel.Dispose();
                    }

                    break;
                default:
                    break;
            }
        }

        return Task.CompletedTask;
    }

    private void OpenLocal(IndexService service, ShardRouting copy, CancellationToken stopping)
    {
        // A started copy not open here (a restart, or a slot a recovery closed) is reopened only from the files of that
        // very copy: an empty directory, or another copy's, would serve reads without the documents the state says it
        // holds. Such a copy is failed to the master instead, which recovers a new one from the primary (or promotes).
        string? failure = null;
        if (!ShardAllocationMarker.Holds(service.ShardPath(copy.Shard), copy.AllocationId!))
        {
            failure = $"the local files of [{copy.Index}][{copy.Shard}] are not those of started copy [{copy.AllocationId}]";
            var holder = ShardAllocationMarker.Read(service.ShardPath(copy.Shard)) ?? "none";
            LogMissingLocalData(copy.Index, copy.Shard, copy.AllocationId!, holder);
        }
        else
        {
            try
            {
                var opened = service.OpenShard(copy.Shard, copy.AllocationId);
                LogOpenedStarted(copy.Index, copy.Shard, copy.AllocationId!, opened.LocalCheckpoint, opened.MaxSeqNo);
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                failure = ex.Message;
                LogOpenFailed(ex, copy.Index, copy.Shard);
            }
        }

        if (_recoveries.TryAdd(copy.AllocationId!, new CancellationTokenSource()))
        {
            _ = Task.Run(() => ReportAsync(copy, failure, stopping), stopping);
        }
    }

    private async Task StartLocalPrimaryAsync(IndexService service, ShardRouting copy, CancellationToken stopping)
    {
        string? failure = null;
        try
        {
            service.OpenShard(copy.Shard, copy.AllocationId);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            failure = ex.Message;
            LogOpenFailed(ex, copy.Index, copy.Shard);
        }

        await ReportAsync(copy, failure, stopping);
    }

    private async Task RecoverFromPrimaryAsync(IndexService service, ShardRouting copy, CancellationToken cancellation)
    {
        string? failure = null;
        var entry = tracker.Begin(copy, node.State);
        try
        {
            // Elasticsearch recovers every copy, replica or relocation target, from the primary.
            var state = node.State;
            var primary = state.Routing.PrimaryOf(copy.Id);
            if (primary is not { Active: true } || !state.Nodes.TryGetValue(primary.NodeId!, out var source))
            {
                throw new ClusterException("no_shard_available_action_exception", $"no active primary of {copy.Id} to recover from", 503);
            }

            entry.SourceNode = source.Name;
            await using var peer = new PeerRecoverySource(node.Transport, source.TransportAddress, service.Metadata.Uuid, copy.Shard, copy.AllocationId!);
            var (bytes, operations) = await ShardRecovery.RecoverAsync(service, copy.Shard, copy.AllocationId!, peer, time, cancellation);
            await peer.FinishAsync(cancellation);
            entry.Complete(bytes, operations);
            LogRecovered(copy.Index, copy.Shard, source.Name, bytes, operations, entry.ElapsedMilliseconds);
        }
        catch (Exception ex) when (cancellation.IsCancellationRequested && ex is not OutOfMemoryException)
        {
            // Cancelled, whatever the last step threw (a read cut off, a directory a newer recovery replaced): nothing is
            // reported, and only this copy is closed if it got into the slot; a newer copy there is left alone.
            entry.Fail("cancelled");
            TryClose(service, copy);
            var holder = service.AllocationOf(copy.Shard) ?? "none";
            LogRecoveryCancelled(copy.Index, copy.Shard, copy.AllocationId!, holder);
            return;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            failure = ex.Message;
            entry.Fail(ex.Message);
            LogRecoveryFailed(copy.Index, copy.Shard, copy.AllocationId!, ex.Message);
            TryClose(service, copy);
        }

        await ReportAsync(copy, failure, cancellation);
    }

    /// <summary>Closes <paramref name="copy"/> and deletes its files if it is the one in the slot; the next assignment starts over.</summary>
    private static void TryClose(IndexService service, ShardRouting copy)
    {
        try
        {
            service.CloseShard(copy.Shard, deleteFiles: true, onlyCopy: copy.AllocationId);
        }
        catch (IOException)
        {
            // The next recovery replaces the directory whole.
        }
    }

    /// <summary>
    /// Tells whoever is master that the copy started (or failed), until the state no longer shows it initializing (a started
    /// copy being failed: until the state no longer shows it at all).
    /// </summary>
    private async Task ReportAsync(ShardRouting copy, string? failure, CancellationToken stopping)
    {
        var waitingFor = copy.State == ShardRoutingState.Initializing ? ShardRoutingState.Initializing : (ShardRoutingState?)null;
        var request = new ShardStateRequest(copy.Index, copy.Shard, copy.AllocationId!, failure);
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                var current = node.State;
                if (!current.Routing.Shards.Any(s => s.AllocationId == copy.AllocationId && (waitingFor is null || s.State == waitingFor)))
                {
                    break;
                }

                if (node.Coordinator.HasMaster && current.MasterNode is { } master)
                {
                    try
                    {
                        await node.Transport.SendAsync<ShardStateRequest, Empty>(master.TransportAddress, failure is null ? ShardActions.Started : ShardActions.Failed, request, null, stopping);
                        break;
                    }
                    catch (TransportException ex)
                    {
                        LogReportFailed(copy.Index, copy.Shard, ex.Message);
                    }
                }

                await node.Coordinator.WaitForAsync(s => !ReferenceEquals(s, current), TimeSpan.FromSeconds(1), stopping);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping or the copy was cancelled.
        }
        finally
        {
            if (failure is null && !stopping.IsCancellationRequested)
            {
                // Keep the marker until this node applied the start, so the copy is not recovered twice.
                await node.Coordinator.WaitForAsync(s => !s.Routing.Shards.Any(x => x.AllocationId == copy.AllocationId && x.State == ShardRoutingState.Initializing), TimeSpan.FromSeconds(30), CancellationToken.None);
            }

            if (_recoveries.TryRemove(copy.AllocationId!, out var cancel))
            {
                cancel.Dispose();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "recovered [{Index}][{Shard}] from [{Source}]: {Bytes} bytes, {Operations} operations in {Millis} ms")]
    private partial void LogRecovered(string index, int shard, string source, long bytes, long operations, long millis);

    [LoggerMessage(Level = LogLevel.Warning, Message = "recovery of [{Index}][{Shard}] to copy [{AllocationId}] failed (its slot is closed and its files deleted): {Reason}")]
    private partial void LogRecoveryFailed(string index, int shard, string allocationId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "recovery of [{Index}][{Shard}] to copy [{AllocationId}] cancelled (the slot holds copy [{Holder}])")]
    private partial void LogRecoveryCancelled(string index, int shard, string allocationId, string holder);

    [LoggerMessage(Level = LogLevel.Warning, Message = "[{Index}][{Shard}] started copy [{AllocationId}] is not open here and its directory holds copy [{Holder}]: failing it to the master instead of serving it")]
    private partial void LogMissingLocalData(string index, int shard, string allocationId, string holder);

    [LoggerMessage(Level = LogLevel.Information, Message = "[{Index}][{Shard}] closed older copy [{Stale}]: copy [{Assigned}] is the one assigned here now")]
    private partial void LogClosedStale(string index, int shard, string stale, string assigned);

    [LoggerMessage(Level = LogLevel.Information, Message = "[{Index}][{Shard}] started copy [{AllocationId}] was not open here: opened from its local files (local checkpoint {Checkpoint}, max seq_no {MaxSeqNo})")]
    private partial void LogOpenedStarted(string index, int shard, string allocationId, long checkpoint, long maxSeqNo);

    [LoggerMessage(Level = LogLevel.Error, Message = "[{Index}][{Shard}] failed to open")]
    private partial void LogOpenFailed(Exception exception, string index, int shard);

    [LoggerMessage(Level = LogLevel.Information, Message = "[{Index}][{Shard}] is no longer allocated here: closed and deleted")]
    private partial void LogClosed(string index, int shard);

    [LoggerMessage(Level = LogLevel.Information, Message = "reporting [{Index}][{Shard}] to the master failed: {Reason}")]
    private partial void LogReportFailed(string index, int shard, string reason);
}
