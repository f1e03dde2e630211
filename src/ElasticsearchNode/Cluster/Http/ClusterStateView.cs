using Cloud.ElasticsearchNode.Cluster.State;

namespace Cloud.ElasticsearchNode.Cluster.Http;

/// <summary><c>GET _cluster/state</c> in Elasticsearch's shape (the parts clients read).</summary>
internal static class ClusterStateView
{
    public static Dictionary<string, object?> Of(ClusterState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new Dictionary<string, object?>
        {
            ["cluster_name"] = state.ClusterName,
            ["cluster_uuid"] = state.ClusterUuid,
            ["version"] = state.Version,
            ["state_uuid"] = $"{state.Term}-{state.Version}",
            ["master_node"] = state.MasterNodeId,
            ["nodes"] = state.Nodes.Values.ToDictionary(n => n.Id, n => (object)new
            {
                name = n.Name,
                ephemeral_id = n.Id,
                transport_address = n.TransportAddress,
                attributes = n.Attributes,
                roles = n.Roles,
            }),
            ["metadata"] = new
            {
                cluster_uuid = state.ClusterUuid,
                cluster_uuid_committed = state.ClusterUuidCommitted,
                cluster_coordination = new
                {
                    term = state.Coordination.Term,
                    last_committed_config = state.Coordination.LastCommittedConfig,
                    last_accepted_config = state.Coordination.LastAcceptedConfig,
                    voting_config_exclusions = state.Coordination.Exclusions.Select(e => new { node_id = e.NodeId, node_name = e.NodeName }),
                },
                indices = state.Metadata.Indices.Values.ToDictionary(i => i.Name, i => (object)new
                {
                    state = i.State,
                    settings = new { index = new { uuid = i.Uuid, number_of_shards = i.NumberOfShards.ToString(System.Globalization.CultureInfo.InvariantCulture), number_of_replicas = i.NumberOfReplicas.ToString(System.Globalization.CultureInfo.InvariantCulture) } },
                    primary_terms = i.PrimaryTerms.Select((t, n) => (t, n)).ToDictionary(x => x.n.ToString(System.Globalization.CultureInfo.InvariantCulture), x => x.t),
                    in_sync_allocations = i.InSyncAllocationIds.Select((s, n) => (s, n)).ToDictionary(x => x.n.ToString(System.Globalization.CultureInfo.InvariantCulture), x => x.s),
                }),
            },
            ["routing_table"] = new
            {
                indices = state.Routing.Shards.Where(s => !s.IsRelocationTarget).GroupBy(s => s.Index).ToDictionary(g => g.Key, g => (object)new
                {
                    shards = g.GroupBy(s => s.Shard).ToDictionary(s => s.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), s => s.Select(Copy).ToList()),
                }),
            },
        };
    }

    private static object Copy(ShardRouting s) => new
    {
        state = s.State.ToString().ToUpperInvariant(),
        primary = s.Primary,
        node = s.NodeId,
        relocating_node = s.RelocatingNodeId,
        shard = s.Shard,
        index = s.Index,
        allocation_id = s.AllocationId is null ? null : new { id = s.AllocationId },
        unassigned_info = s.UnassignedReason is null ? null : new { reason = s.UnassignedReason },
    };
}
