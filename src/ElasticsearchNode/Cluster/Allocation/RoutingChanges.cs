using System.Collections.Immutable;
using Cloud.ElasticsearchNode.Cluster.State;

namespace Cloud.ElasticsearchNode.Cluster.Allocation;

/// <summary>
/// The master's pure changes to routing and in-sync sets: indices created and deleted, copies started
/// and failed, nodes gone. A lost primary is replaced by an in-sync active replica and the shard's
/// primary term goes up, so writes of the old primary are told apart.
/// </summary>
internal static class RoutingChanges
{
    public static ClusterState AddIndex(ClusterState state, ClusterIndex index, long now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(index);
        var copies = Enumerable.Range(0, index.NumberOfShards).SelectMany(shard =>
            Enumerable.Range(0, index.NumberOfReplicas + 1).Select(copy => ShardRouting.NewUnassigned(index.Name, shard, copy == 0, "INDEX_CREATED", now)));
        return state with
        {
            Metadata = state.Metadata with { Indices = state.Metadata.Indices.SetItem(index.Name, index) },
            Routing = RoutingTable.Of(state.Routing.Shards.Concat(copies)),
        };
    }

    public static ClusterState RemoveIndex(ClusterState state, string name)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state with
        {
            Metadata = state.Metadata with { Indices = state.Metadata.Indices.Remove(name) },
            Routing = RoutingTable.Of(state.Routing.Shards.Where(s => s.Index != name)),
        };
    }

    /// <summary>Adds or removes unassigned replicas so each shard has <paramref name="replicas"/> of them.</summary>
    public static ClusterState SetReplicas(ClusterState state, string name, int replicas, long now)
    {
        ArgumentNullException.ThrowIfNull(state);
        var index = state.Metadata.Indices[name];
        var shards = state.Routing.Shards.ToList();
        for (var shard = 0; shard < index.NumberOfShards; shard++)
        {
            var id = new ShardId(name, shard);
            var replicaCopies = shards.Where(s => s.Id == id && !s.Primary && !s.IsRelocationTarget).ToList();
            for (var i = replicaCopies.Count; i < replicas; i++)
            {
                shards.Add(ShardRouting.NewUnassigned(name, shard, false, "REPLICA_ADDED", now));
            }

            // Drop unassigned first, then initializing, then started ones.
            foreach (var extra in replicaCopies.OrderBy(s => s.State switch { ShardRoutingState.Unassigned => 0, ShardRoutingState.Initializing => 1, _ => 2 }).Take(Math.Max(0, replicaCopies.Count - replicas)))
            {
                shards.Remove(extra);
                shards.RemoveAll(t => t.IsRelocationTarget && t.Id == id && t.RelocatingNodeId == extra.NodeId);
            }
        }

        var updated = index with { NumberOfReplicas = replicas, Version = index.Version + 1 };
        return WithInSyncTrimmed(state with
        {
            Metadata = state.Metadata with { Indices = state.Metadata.Indices.SetItem(name, updated) },
            Routing = RoutingTable.Of(shards),
        }, name);
    }

    public static ClusterState StartShard(ClusterState state, ShardId id, string allocationId)
    {
        ArgumentNullException.ThrowIfNull(state);
        var shards = state.Routing.Shards.ToList();
        var copy = shards.FirstOrDefault(s => s.Id == id && s.AllocationId == allocationId && s.State == ShardRoutingState.Initializing);
        if (copy is null || !state.Metadata.Indices.TryGetValue(id.Index, out var index))
        {
            return state; // stale: the copy was cancelled or already started
        }

        var inSync = index.InSyncAllocationIds[id.Shard].Add(allocationId);
        var started = copy with { State = ShardRoutingState.Started, RelocatingNodeId = null, IsRelocationTarget = false };
        shards[shards.IndexOf(copy)] = started;
        if (copy.IsRelocationTarget)
        {
            var source = shards.FirstOrDefault(s => s.Id == id && s.State == ShardRoutingState.Relocating && s.NodeId == copy.RelocatingNodeId);
            if (source is not null)
            {
                shards.Remove(source);
                inSync = source.AllocationId is { } sourceId ? inSync.Remove(sourceId) : inSync;
                shards[shards.IndexOf(started)] = started with { Primary = source.Primary };
            }
        }

        var updated = index with { InSyncAllocationIds = index.InSyncAllocationIds.SetItem(id.Shard, inSync) };
        return state with
        {
            Metadata = state.Metadata with { Indices = state.Metadata.Indices.SetItem(id.Index, updated) },
            Routing = RoutingTable.Of(shards),
        };
    }

    /// <summary>
    /// A primary reopened from its node's own files (a restart the master did not notice, a full-cluster restart) takes a new
    /// term, as Elasticsearch gives every primary assigned anew one: copies then refuse operations an older incarnation sent.
    /// Only when the copy is still that active primary and the term is still the one it reopened under, so a retried
    /// request does not move the term twice.
    /// </summary>
    public static ClusterState ReopenPrimary(ClusterState state, ShardId id, string allocationId, long reopenedTerm)
    {
        ArgumentNullException.ThrowIfNull(state);
        var copy = state.Routing.Shards.FirstOrDefault(s => s.Id == id && s.AllocationId == allocationId);
        if (copy is not { Primary: true, Active: true } || !state.Metadata.Indices.TryGetValue(id.Index, out var index)
            || index.PrimaryTerms[id.Shard] != reopenedTerm)
        {
            return state;
        }

        var updated = index with { PrimaryTerms = index.PrimaryTerms.SetItem(id.Shard, reopenedTerm + 1) };
        return state with { Metadata = state.Metadata with { Indices = state.Metadata.Indices.SetItem(id.Index, updated) } };
    }

    /// <summary>A copy failed (or its node left): it goes, and a lost primary is replaced by promotion when an in-sync replica is active.</summary>
    public static ClusterState FailShard(ClusterState state, ShardId id, string allocationId, string reason, long now)
    {
        ArgumentNullException.ThrowIfNull(state);
        var shards = state.Routing.Shards.ToList();
        var copy = shards.FirstOrDefault(s => s.Id == id && s.AllocationId == allocationId && s.State != ShardRoutingState.Unassigned);
        if (copy is null || !state.Metadata.Indices.TryGetValue(id.Index, out var index))
        {
            return state;
        }

        var inSync = index.InSyncAllocationIds[id.Shard];
        var terms = index.PrimaryTerms;
        if (copy.IsRelocationTarget)
        {
            // A failed relocation target only cancels the move; the source carries on.
            shards.Remove(copy);
            var source = shards.FirstOrDefault(s => s.Id == id && s.State == ShardRoutingState.Relocating && s.NodeId == copy.RelocatingNodeId);
            if (source is not null)
            {
                shards[shards.IndexOf(source)] = source with { State = ShardRoutingState.Started, RelocatingNodeId = null };
            }

            inSync = inSync.Remove(allocationId);
        }
        else
        {
            if (copy.State == ShardRoutingState.Relocating)
            {
                shards.RemoveAll(t => t.Id == id && t.IsRelocationTarget && t.RelocatingNodeId == copy.NodeId);
            }

            shards.Remove(copy);
            if (copy.Primary)
            {
                var replica = shards
                    .Where(s => s.Id == id && !s.Primary && !s.IsRelocationTarget && s.Active && s.AllocationId is not null && inSync.Contains(s.AllocationId))
                    .OrderBy(s => s.NodeId, StringComparer.Ordinal)
                    .FirstOrDefault();
                if (replica is not null)
                {
                    shards[shards.IndexOf(replica)] = replica with { Primary = true };
                    terms = terms.SetItem(id.Shard, terms[id.Shard] + 1);
                    shards.Add(ShardRouting.NewUnassigned(id.Index, id.Shard, false, reason, now));
                    inSync = inSync.Remove(allocationId);
                }
                else if (inSync.IsEmpty || !inSync.Contains(allocationId))
                {
                    shards.Add(ShardRouting.NewUnassigned(id.Index, id.Shard, true, reason, now));
                    // The initializing replicas copied from this primary cannot finish without it.
                    ResetInitializingReplicas(shards, id, reason, now);
                }
                else
                {
                    // The only in-sync copy is gone: the shard waits (red) for that data to come back.
                    shards.Add(new ShardRouting(id.Index, id.Shard, true, ShardRoutingState.Unassigned, null, AllocationId: allocationId,
                        UnassignedReason: reason, LastNodeId: copy.NodeId, UnassignedSince: now));
                    ResetInitializingReplicas(shards, id, reason, now);
                }
            }
            else
            {
                shards.Add(ShardRouting.NewUnassigned(id.Index, id.Shard, false, reason, now));
                inSync = inSync.Remove(allocationId);
            }
        }

        var updated = index with { InSyncAllocationIds = index.InSyncAllocationIds.SetItem(id.Shard, inSync), PrimaryTerms = terms };
        return state with
        {
            Metadata = state.Metadata with { Indices = state.Metadata.Indices.SetItem(id.Index, updated) },
            Routing = RoutingTable.Of(shards),
        };
    }

    /// <summary>Nodes left the cluster: they go from the node list and every copy they held fails.</summary>
    public static ClusterState RemoveNodes(ClusterState state, IReadOnlyCollection<string> nodeIds, long now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(nodeIds);
        var next = state with { Nodes = state.Nodes.RemoveRange(nodeIds) };

        // Relocation targets first, so a source on a surviving node simply goes back to started.
        var lost = state.Routing.Shards
            .Where(s => s.NodeId is not null && nodeIds.Contains(s.NodeId))
            .OrderByDescending(s => s.IsRelocationTarget)
            .ThenBy(s => s.Primary)
            .ToList();
        foreach (var copy in lost)
        {
            next = FailShard(next, copy.Id, copy.AllocationId!, "NODE_LEFT", now);
        }

        return next;
    }

    private static void ResetInitializingReplicas(List<ShardRouting> shards, ShardId id, string reason, long now)
    {
        foreach (var replica in shards.Where(s => s.Id == id && !s.Primary && s.State == ShardRoutingState.Initializing).ToList())
        {
            shards.Remove(replica);
            shards.Add(ShardRouting.NewUnassigned(id.Index, id.Shard, false, reason, now));
        }
    }

    private static ClusterState WithInSyncTrimmed(ClusterState state, string name)
    {
        var index = state.Metadata.Indices[name];
        var sets = index.InSyncAllocationIds.Select((set, shard) =>
        {
            var assigned = state.Routing.Shards.Where(s => s.Index == name && s.Shard == shard && s.AllocationId is not null).Select(s => s.AllocationId!).ToHashSet(StringComparer.Ordinal);
            return set.Any(assigned.Contains) ? set.Where(assigned.Contains).ToImmutableSortedSet(StringComparer.Ordinal) : set;
        }).ToImmutableArray();
        return state with { Metadata = state.Metadata with { Indices = state.Metadata.Indices.SetItem(name, index with { InSyncAllocationIds = sets }) } };
    }
}
