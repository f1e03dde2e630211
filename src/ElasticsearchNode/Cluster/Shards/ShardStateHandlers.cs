using Cloud.ElasticsearchNode.Cluster.Allocation;
using Cloud.ElasticsearchNode.Cluster.Coordination;
using Cloud.ElasticsearchNode.Cluster.State;
using Cloud.ElasticsearchNode.Cluster.Transport;

namespace Cloud.ElasticsearchNode.Cluster.Shards;

/// <summary>The master's handlers for copies reported started (recovered and caught up) or failed.</summary>
internal static class ShardStateHandlers
{
    public static void Register(Coordinator coordinator, TransportService transport, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(coordinator);
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(time);
        transport.Register<ShardStateRequest, Empty>(ShardActions.Started, async (r, ct) =>
        {
            await coordinator.SubmitAsync($"shard-started {r.Index}[{r.Shard}]", s => RoutingChanges.StartShard(s, new ShardId(r.Index, r.Shard), r.AllocationId), ct).ConfigureAwait(false);
            return Empty.Instance;
        });
        transport.Register<ShardStateRequest, Empty>(ShardActions.Reopened, async (r, ct) =>
        {
            await coordinator.SubmitAsync($"primary-reopened {r.Index}[{r.Shard}]", s => RoutingChanges.ReopenPrimary(s, new ShardId(r.Index, r.Shard), r.AllocationId, r.PrimaryTerm), ct).ConfigureAwait(false);
            return Empty.Instance;
        });
        transport.Register<ShardStateRequest, Empty>(ShardActions.Failed, async (r, ct) =>
        {
            await coordinator.SubmitAsync($"shard-failed {r.Index}[{r.Shard}]", s => IsStale(s, r)
                ? throw new ClusterException("illegal_state_exception", $"shard-failed from a primary of term [{r.PrimaryTerm}] for [{r.Index}][{r.Shard}], which has a newer primary", 409)
                : RoutingChanges.FailShard(s, new ShardId(r.Index, r.Shard), r.AllocationId, "ALLOCATION_FAILED", time.GetUtcNow().ToUnixTimeMilliseconds()), ct).ConfigureAwait(false);
            return Empty.Instance;
        });
    }

    private static bool IsStale(ClusterState state, ShardStateRequest request) =>
        request.PrimaryTerm > 0 && state.Metadata.Indices.TryGetValue(request.Index, out var index) && request.PrimaryTerm < index.PrimaryTerms[request.Shard];
}
