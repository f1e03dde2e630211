using Cloud.ElasticsearchNode.Cluster;
using Cloud.ElasticsearchNode.Cluster.Transport;
using Cloud.ElasticsearchNode.Engine;
using Cloud.ElasticsearchNode.Errors;
using Cloud.ElasticsearchNode.Indices;
using Cloud.ElasticsearchNode.Replication;
using ShardRouting = Cloud.ElasticsearchNode.Engine.ShardRouting;

namespace Cloud.ElasticsearchNode.Documents;

/// <summary>
/// A cluster node's document coordinator: each write goes to the node holding its shard's primary (which
/// replicates it); while a primary is missing or moving the shard's writes wait for a new cluster state
/// and are retried, up to a minute as in Elasticsearch. A get reads one active copy, this node's first.
/// </summary>
internal sealed class ClusterDocumentCoordinator(ClusterNode node, IIndexMetadataService metadata, LocalDocumentCoordinator local, ShardReplicationService replication) : IDocumentCoordinator
{
    private static readonly TimeSpan PrimaryTimeout = TimeSpan.FromMinutes(1);

    public async Task<IReadOnlyList<WriteItemResult>> WriteAsync(IReadOnlyList<WriteRequest> requests, RefreshPolicy refresh, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requests);
        RequireMaster();
        var results = new WriteItemResult[requests.Count];
        var groups = new Dictionary<(string Index, int Shard), List<(int Slot, WriteRequest Request)>>();
        for (var i = 0; i < requests.Count; i++)
        {
            var request = LocalDocumentCoordinator.WithId(requests[i]);
            try
            {
                var index = await local.ResolveForWriteAsync(request.Index, cancellationToken);
                var id = request.Id ?? throw ElasticsearchException.ActionRequestValidation("id is missing");
                var key = (index.Name, ShardRouting.ShardFor(id, request.Routing, index.NumberOfShards));
                if (!groups.TryGetValue(key, out var group))
                {
                    groups[key] = group = [];
                }

                group.Add((i, request with { Index = index.Name }));
            }
            catch (ElasticsearchException ex)
            {
                results[i] = new WriteItemResult(request.OpType, request.Index, request.Id ?? "", -1, null, ex);
            }
        }

        await Task.WhenAll(groups.Select(async group =>
        {
            var request = new PrimaryWriteRequest(group.Key.Index, group.Key.Shard, [.. group.Value.Select(v => v.Request)], refresh);
            try
            {
                var response = await SendToPrimaryAsync(request, cancellationToken);
                for (var j = 0; j < group.Value.Count; j++)
                {
                    results[group.Value[j].Slot] = response.Items[j].ToResult();
                }
            }
            catch (ElasticsearchException ex)
            {
                foreach (var (slot, item) in group.Value)
                {
                    results[slot] = new WriteItemResult(item.OpType, item.Index, item.Id ?? "", group.Key.Shard, null, ex);
                }
            }
        }));
        return results;
    }

    public async Task<StoredDocument?> GetAsync(string index, string id, string? routing, bool realtime, CancellationToken cancellationToken)
    {
        var resolved = IndexResolver.ResolveWriteIndex(metadata.Current, index) ?? throw ElasticsearchException.IndexNotFound(index);
        var shard = ShardRouting.ShardFor(id, routing, resolved.NumberOfShards);
        var request = new ShardGetRequest(resolved.Name, resolved.Uuid, shard, id, realtime);
        Exception? last = null;
        foreach (var copy in ShardCopies.ReadOrder(node.State, resolved.Name, shard, node.LocalNode.Id))
        {
            try
            {
                return copy.Id == node.LocalNode.Id
                    ? replication.GetLocal(request)
                    : (await node.Transport.SendAsync<ShardGetRequest, ShardGetResponse>(copy.TransportAddress, ReplicationActions.Get, request, null, cancellationToken)).Document;
            }
            catch (Exception ex) when (ex is TransportException or ElasticsearchException or ObjectDisposedException)
            {
                last = ex; // try the next copy (this one is closing or moved away)
            }
        }

        throw ElasticsearchException.ShardNotAvailable(resolved.Name, $"[{resolved.Name}][{shard}] no active copy could answer: {last?.Message ?? "none is started"}");
    }

    private async Task<PrimaryWriteResponse> SendToPrimaryAsync(PrimaryWriteRequest request, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(PrimaryTimeout);
        var id = new Cluster.State.ShardId(request.Index, request.Shard);
        string reason = "primary shard is not active";
        while (true)
        {
            RequireMaster();
            var state = node.State;
            var primary = state.Routing.PrimaryOf(id);
            if (primary is { Active: true } && primary.NodeId is { } nodeId && state.Nodes.TryGetValue(nodeId, out var target))
            {
                try
                {
                    if (target.Id == node.LocalNode.Id)
                    {
                        return await replication.ExecutePrimaryAsync(request, deadline.Token);
                    }

                    // A primary that died answers nothing: stop waiting once the state has another primary (or none).
                    using var moved = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
                    var send = node.Transport.SendAsync<PrimaryWriteRequest, PrimaryWriteResponse>(target.TransportAddress, ReplicationActions.Primary, request, PrimaryTimeout, moved.Token);
                    var changed = node.Coordinator.WaitForAsync(s => s.Routing.PrimaryOf(id)?.AllocationId != primary.AllocationId || !s.Nodes.ContainsKey(nodeId), PrimaryTimeout, moved.Token);
                    var first = await Task.WhenAny(send, changed);
                    await moved.CancelAsync();
                    if (first == send || !(await changed).Met)
                    {
                        return await send;
                    }

                    reason = $"primary moved away from [{target.Name}]";
                    _ = send.ContinueWith(t => t.Exception, TaskScheduler.Default); // observed: its answer no longer matters
                }
                catch (ElasticsearchException ex) when (ex.Type == ShardReplicationService.RetryableType)
                {
                    reason = ex.Message;
                }
                catch (TransportException ex) when (ex.IsDisconnect || ex.Type is ShardReplicationService.RetryableType or "receive_timeout_transport_exception")
                {
                    reason = ex.Message;
                }
                catch (TransportException ex)
                {
                    throw new ElasticsearchException(ex.Type, ex.Message, ex.Status > 0 ? ex.Status : 500, request.Index);
                }
                catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    reason = "timed out";
                }
            }

            if (deadline.IsCancellationRequested)
            {
                cancellationToken.ThrowIfCancellationRequested();
                throw new ElasticsearchException(ShardReplicationService.RetryableType, $"[{request.Index}][{request.Shard}] primary shard is not active Timeout: [1m]: {reason}", 503, request.Index);
            }

            // Retry on the next cluster state (a promoted replica, a finished relocation), or after a second.
            try
            {
                await node.Coordinator.WaitForAsync(s => !ReferenceEquals(s, state), TimeSpan.FromSeconds(1), deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The deadline: one last look above, then the refusal.
            }
        }
    }

    private void RequireMaster()
    {
        if (!node.Coordinator.HasMaster)
        {
            throw new ElasticsearchException("master_not_discovered_exception", "no master node is known to this node", 503);
        }
    }
}
