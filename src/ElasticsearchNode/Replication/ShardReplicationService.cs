using Cloud.ElasticsearchNode.Cluster;
using Cloud.ElasticsearchNode.Cluster.Coordination;
using Cloud.ElasticsearchNode.Cluster.Shards;
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
/// Elasticsearch's replication on this node. As primary: write locally (durable), then send the
/// operations to every other assigned copy (started, initializing, relocation targets) and acknowledge
/// only when each has them or has been reported failed to the master (and so left the in-sync set).
/// As a copy: apply the primary's operations by sequence number, refusing a deposed primary's term.
/// </summary>
internal sealed partial class ShardReplicationService(ClusterNode node, IndicesService indices, LocalDocumentCoordinator local, PrimaryPermits permits, ILogger<ShardReplicationService> logger)
{
    /// <summary>Type of the refusal that tells the coordinating node to look up the primary again and retry.</summary>
    public const string RetryableType = "unavailable_shards_exception";

    private static readonly TimeSpan ReplicaTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan CatchUpTimeout = TimeSpan.FromSeconds(10);
    private PrimaryResync? _resync;

    public void Register()
    {
        _resync = new PrimaryResync(node, indices, this, logger);
        _resync.Register();
        node.Transport.Register<PrimaryWriteRequest, PrimaryWriteResponse>(ReplicationActions.Primary, ExecutePrimaryAsync);
        node.Transport.Register<ReplicaWriteRequest, Empty>(ReplicationActions.Replica, async (r, ct) =>
        {
            await ApplyOnReplicaAsync(r, ct);
            return Empty.Instance;
        });
        node.Transport.Register<ShardGetRequest, ShardGetResponse>(ReplicationActions.Get, (r, _) => Task.FromResult(new ShardGetResponse(GetLocal(r))));
    }

    /// <summary>
    /// Executes a write as primary. Once started it runs to the end whatever the caller does: a write applied here
    /// but cancelled before it reached the copies (a client that went away, the coordinator's deadline) would leave
    /// them without an operation the primary has, and a gap below their checkpoint. The caller stops waiting on
    /// <paramref name="cancellationToken"/>; the replication itself is bounded by the replica timeout.
    /// </summary>
    public Task<PrimaryWriteResponse> ExecutePrimaryAsync(PrimaryWriteRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return RunPrimaryAsync(request, CancellationToken.None).WaitAsync(cancellationToken);
    }

    private async Task<PrimaryWriteResponse> RunPrimaryAsync(PrimaryWriteRequest request, CancellationToken cancellationToken)
    {
        var state = node.State;
        var id = new Cluster.State.ShardId(request.Index, request.Shard);
        var primary = state.Routing.PrimaryOf(id);
        if (!node.Coordinator.HasMaster)
        {
            throw new ElasticsearchException("master_not_discovered_exception", "no master node is known to this node", 503);
        }

        if (primary is not { Active: true } || primary.NodeId != node.LocalNode.Id || !state.Metadata.Indices.TryGetValue(request.Index, out var index)
            || indices.Get(index.Uuid)?.Shards[request.Shard].Shard is not { } shard)
        {
            throw new ElasticsearchException(RetryableType, $"{id} primary is not active on [{node.LocalNode.Name}]", 503, request.Index);
        }

        // A promoted primary first brings its copies in line with itself (primary-replica resync).
        if (_resync is not null)
        {
            await _resync.WaitAsync(state, primary.AllocationId!, index.PrimaryTerms[request.Shard], cancellationToken);
        }

        // Held until the write is replicated: a relocation hand-off waits for it (the target then has it too).
        using var permit = permits.TryAcquire(shard) ?? RefuseOrResume(state, shard, id);

        // The term this primary writes with is the one of the state that made it primary.
        shard.RaisePrimaryTerm(index.PrimaryTerms[request.Shard]);

        var (results, operations) = await local.ExecuteOnPrimaryAsync(request.Items, cancellationToken);
        if (operations.Count > 0)
        {
            await ReplicateAsync(id, index, shard.PrimaryTerm, primary.AllocationId!, operations, request.Refresh, cancellationToken);
        }

        await LocalDocumentCoordinator.RefreshAsync([shard], request.Refresh, cancellationToken);
        return new PrimaryWriteResponse([.. results.Select(WireItemResult.From)]);
    }

    /// <summary>A handed-off primary refuses writes while its relocation target is being started; if the relocation was cancelled it writes again.</summary>
    private IDisposable RefuseOrResume(ClusterState state, IndexShard shard, Cluster.State.ShardId id)
    {
        var target = permits.HandedOffTo(shard);
        if (target is not null && !state.Routing.Shards.Any(c => c.AllocationId == target && c.IsRelocationTarget))
        {
            permits.Resume(shard);
            if (permits.TryAcquire(shard) is { } permit)
            {
                return permit;
            }
        }

        throw new ElasticsearchException(RetryableType, $"{id} primary on [{node.LocalNode.Name}] was handed off to its relocation target", 503, id.Index);
    }

    internal async Task ReplicateAsync(Cluster.State.ShardId id, ClusterIndex index, long term, string primaryAllocationId, List<ShardOperation> operations, RefreshPolicy refresh, CancellationToken cancellationToken)
    {
        // The replication group is read after the local write: a copy added since (a recovery that pinned its
        // commit after this write) gets the write from its recovery's history instead.
        var state = node.State;
        var copies = state.Routing.CopiesOf(id)
            .Where(c => c.NodeId is not null && c.AllocationId != primaryAllocationId && c.State != ShardRoutingState.Unassigned)
            .ToList();
        var failures = await Task.WhenAll(copies.Select(async Task<(ShardRouting Copy, string Reason)?> (copy) =>
        {
            try
            {
                await SendToCopyAsync(state, copy, new ReplicaWriteRequest(index.Uuid, id.Shard, copy.AllocationId!, term, operations, refresh), cancellationToken);
                return null;
            }
            catch (Exception ex) when (ex is TransportException or ElasticsearchException or ClusterException or TimeoutException)
            {
                return (Copy: copy, Reason: ex.Message);
            }
        }));
        foreach (var failure in failures.Where(f => f is not null).Select(f => f!.Value))
        {
            LogReplicaFailed(id.ToString(), failure.Copy.NodeId!, failure.Reason);
            await FailCopyAsync(failure.Copy, term, failure.Reason, cancellationToken);
        }
    }

    private async Task SendToCopyAsync(ClusterState state, ShardRouting copy, ReplicaWriteRequest request, CancellationToken cancellationToken)
    {
        if (!state.Nodes.TryGetValue(copy.NodeId!, out var target))
        {
            throw new TimeoutException($"node [{copy.NodeId}] left the cluster");
        }

        if (target.Id == node.LocalNode.Id)
        {
            await ApplyOnReplicaAsync(request, cancellationToken);
            return;
        }

        // A node that died answers nothing: stop waiting as soon as the master has removed the copy.
        using var gone = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var send = node.Transport.SendAsync<ReplicaWriteRequest, Empty>(target.TransportAddress, ReplicationActions.Replica, request, ReplicaTimeout, gone.Token);
        var removed = node.Coordinator.WaitForAsync(s => !s.Routing.Shards.Any(c => c.AllocationId == copy.AllocationId), ReplicaTimeout, gone.Token);
        var first = await Task.WhenAny(send, removed);
        await gone.CancelAsync();
        if (first == send)
        {
            await send;
            return;
        }

        if ((await removed).Met)
        {
            return; // the master already failed this copy: it is out of the in-sync set
        }

        await send;
    }

    /// <summary>Has the master fail a copy that missed a write, before the write is acknowledged.</summary>
    internal async Task FailCopyAsync(ShardRouting copy, long term, string reason, CancellationToken cancellationToken)
    {
        var request = new ShardStateRequest(copy.Index, copy.Shard, copy.AllocationId!, reason, term);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(ReplicaTimeout);
        while (true)
        {
            var state = node.State;
            if (!state.Routing.Shards.Any(c => c.AllocationId == copy.AllocationId))
            {
                return;
            }

            if (node.Coordinator.HasMaster && state.MasterNode is { } master)
            {
                try
                {
                    await node.Transport.SendAsync<ShardStateRequest, Empty>(master.TransportAddress, ShardActions.Failed, request, null, deadline.Token);
                    return;
                }
                catch (TransportException ex) when (ex.Type == "illegal_state_exception")
                {
                    // This primary was deposed: its write must not be acknowledged.
                    throw new ElasticsearchException(RetryableType, ex.Message, 503, copy.Index);
                }
                catch (TransportException)
                {
                    // Master changing: try whoever is master next.
                }
            }

            var (_, _) = await node.Coordinator.WaitForAsync(s => !ReferenceEquals(s, state), TimeSpan.FromSeconds(1), deadline.Token);
            if (deadline.IsCancellationRequested)
            {
                throw new ElasticsearchException(RetryableType, $"could not report the failed copy of [{copy.Index}][{copy.Shard}] to a master", 503, copy.Index);
            }
        }
    }

    public async Task ApplyOnReplicaAsync(ReplicaWriteRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);

        // The primary may have applied a newer state than this node: wait a little for it.
        var (met, state) = await node.Coordinator.WaitForAsync(
            s => s.Routing.Shards.Any(c => c.AllocationId == request.AllocationId && c.NodeId == node.LocalNode.Id), CatchUpTimeout, cancellationToken);
        var copy = state.Routing.Shards.FirstOrDefault(c => c.AllocationId == request.AllocationId && c.NodeId == node.LocalNode.Id);
        if (!met || copy is null || !state.Metadata.Indices.TryGetValue(copy.Index, out var index))
        {
            throw new ElasticsearchException("shard_not_found_exception", $"copy [{request.AllocationId}] is not allocated to [{node.LocalNode.Name}]", 404);
        }

        if (request.PrimaryTerm < index.PrimaryTerms[request.Shard])
        {
            throw new ElasticsearchException("illegal_state_exception", $"operation primary term [{request.PrimaryTerm}] is too old (current [{index.PrimaryTerms[request.Shard]}])", 409);
        }

        var shard = indices.Get(index.Uuid)?.Shards[request.Shard].Shard;
        if (shard is null)
        {
            if (copy.State == ShardRoutingState.Initializing)
            {
                return; // still copying files: the recovery replays these operations from the primary's history
            }

            throw new ElasticsearchException("shard_not_found_exception", $"[{copy.Index}][{copy.Shard}] is not open on [{node.LocalNode.Name}]", 404);
        }

        // Checked again under the shard's term gate: a resync that took a newer term meanwhile has read this copy already.
        var location = shard.ApplyAsReplica(request.Operations, request.PrimaryTerm);
        if (location > 0)
        {
            await shard.SyncAsync(location, cancellationToken);
        }

        await LocalDocumentCoordinator.RefreshAsync([shard], request.Refresh, cancellationToken);
    }

    public StoredDocument? GetLocal(ShardGetRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var shard = indices.Get(request.IndexUuid)?.Shards[request.Shard].Shard
            ?? throw new ElasticsearchException("no_shard_available_action_exception", $"[{request.Index}][{request.Shard}] is not open on [{node.LocalNode.Name}]", 503, request.Index);
        return shard.Get(request.Id, request.Realtime);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Shard}: replica on [{Node}] failed, reporting it to the master: {Reason}")]
    private partial void LogReplicaFailed(string shard, string node, string reason);
}
