using System.Collections.Immutable;
using Cloud.ElasticsearchNode.Cluster.Allocation;
using Cloud.ElasticsearchNode.Cluster.Coordination;
using Cloud.ElasticsearchNode.Cluster.State;

namespace Cloud.ElasticsearchNode.Cluster;

/// <summary>What each <see cref="MasterOperation"/> does to the cluster state, validated before anything changes.</summary>
internal static class MasterOperations
{
    public const string Action = "cluster:admin/master_operation";

    public static void Register(ClusterNode node)
    {
        node.Transport.Register<MasterOperation, MasterOperationResult>(Action, async (operation, ct) =>
        {
            var committed = await ExecuteAsync(node, operation, ct).ConfigureAwait(false);
            return new MasterOperationResult(committed.Term, committed.Version);
        });
    }

    public static Task<ClusterState> ExecuteAsync(ClusterNode node, MasterOperation operation, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        Func<ClusterState, ClusterState> change = operation.Kind switch
        {
            MasterOperation.IndexChange => s => IndexChangeExecutor.Apply(s, operation.Change ?? throw new ClusterException("illegal_argument_exception", "[change] is required"), now),
            MasterOperation.CreateIndex => s => CreateIndex(s, operation, now),
            MasterOperation.DeleteIndex => s => s.Metadata.Indices.ContainsKey(operation.Name!)
                ? RoutingChanges.RemoveIndex(s, operation.Name!)
                : throw new ClusterException("index_not_found_exception", $"no such index [{operation.Name}]", 404),
            MasterOperation.UpdateReplicas => s => s.Metadata.Indices.ContainsKey(operation.Name!)
                ? RoutingChanges.SetReplicas(s, operation.Name!, operation.Replicas, now)
                : throw new ClusterException("index_not_found_exception", $"no such index [{operation.Name}]", 404),
            MasterOperation.PutSettings => s => PutSettings(s, operation),
            MasterOperation.AddVotingExclusions => s => AddExclusions(s, operation.Names),
            MasterOperation.ClearVotingExclusions => s => s with { Coordination = s.Coordination with { Exclusions = [] } },
            MasterOperation.PutShutdown => s => PutShutdown(s, operation, now),
            MasterOperation.DeleteShutdown => s => s.Metadata.Shutdowns.ContainsKey(operation.Name!)
                ? s with { Metadata = s.Metadata with { Shutdowns = s.Metadata.Shutdowns.Remove(operation.Name!) } }
                : throw new ClusterException("resource_not_found_exception", $"node [{operation.Name}] is not currently shutting down", 404),
            MasterOperation.Sync => s => s,
            MasterOperation.PutRepository => s => s with
            {
                Metadata = s.Metadata with
                {
                    Repositories = s.Metadata.Repositories.SetItem(operation.Name!, new SnapshotRepository(operation.Name!, operation.Type ?? "fs",
                        operation.Persistent ?? ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal))),
                },
            },
            MasterOperation.DeleteRepository => s => s.Metadata.Repositories.ContainsKey(operation.Name!)
                ? s with { Metadata = s.Metadata with { Repositories = s.Metadata.Repositories.Remove(operation.Name!) } }
                : throw new ClusterException("repository_missing_exception", $"[{operation.Name}] missing", 404),
            _ => throw new ClusterException("illegal_argument_exception", $"unknown master operation [{operation.Kind}]"),
        };
        return node.Coordinator.SubmitAsync(operation.Kind, change, cancellationToken);
    }

    private static ClusterState CreateIndex(ClusterState state, MasterOperation operation, long now)
    {
        var name = operation.Name!;
        if (state.Metadata.Indices.TryGetValue(name, out var existing))
        {
            throw new ClusterException("resource_already_exists_exception", $"index [{name}/{existing.Uuid}] already exists");
        }

        if (operation.Shards < 1 || operation.Replicas < 0)
        {
            throw new ClusterException("illegal_argument_exception", "number_of_shards must be at least 1 and number_of_replicas at least 0");
        }

        var uuid = Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=').Replace('/', '_').Replace('+', '-');
        var settings = operation.Persistent ?? ImmutableSortedDictionary<string, string>.Empty;
        return RoutingChanges.AddIndex(state, ClusterIndex.Create(name, uuid, operation.Shards, operation.Replicas, now, settings, operation.Mappings), now);
    }

    private static ClusterState PutSettings(ClusterState state, MasterOperation operation)
    {
        var errors = (operation.Persistent ?? ImmutableSortedDictionary<string, string>.Empty).Concat(operation.Transient ?? ImmutableSortedDictionary<string, string>.Empty)
            .Select(kv => AllocationSettings.Validate(kv.Key, kv.Value))
            .OfType<string>()
            .ToList();
        if (errors.Count > 0)
        {
            throw new ClusterException("illegal_argument_exception", string.Join("; ", errors));
        }

        // An empty value ("" for JSON null) removes the setting, as Elasticsearch's null does.
        static ImmutableSortedDictionary<string, string> Merge(ImmutableSortedDictionary<string, string> current, ImmutableSortedDictionary<string, string>? changes) =>
            changes is null ? current : changes.Aggregate(current, (acc, kv) => kv.Value.Length == 0 ? acc.Remove(kv.Key) : acc.SetItem(kv.Key, kv.Value));

        return state with
        {
            Metadata = state.Metadata with
            {
                PersistentSettings = Merge(state.Metadata.PersistentSettings, operation.Persistent),
                TransientSettings = Merge(state.Metadata.TransientSettings, operation.Transient),
            },
        };
    }

    private static ClusterState AddExclusions(ClusterState state, IReadOnlyList<string>? names)
    {
        var exclusions = state.Coordination.Exclusions.ToList();
        foreach (var name in names ?? [])
        {
            var node = state.NodeByName(name) ?? (state.Nodes.TryGetValue(name, out var byId) ? byId : null);
            var exclusion = node is null ? new VotingConfigExclusion("_absent_", name) : new VotingConfigExclusion(node.Id, node.Name);
            if (!exclusions.Contains(exclusion))
            {
                exclusions.Add(exclusion);
            }
        }

        return exclusions.Count > 10
            ? throw new ClusterException("illegal_argument_exception", "cannot add voting config exclusions: the limit [cluster.max_voting_config_exclusions=10] would be exceeded")
            : state with { Coordination = state.Coordination with { Exclusions = [.. exclusions] } };
    }

    private static ClusterState PutShutdown(ClusterState state, MasterOperation operation, long now)
    {
        var type = (operation.Type ?? string.Empty).ToLowerInvariant();
        if (type is not ("restart" or "remove" or "replace"))
        {
            throw new ClusterException("illegal_argument_exception", $"unknown shutdown type [{operation.Type}], expected one of [restart, remove, replace]");
        }

        if (string.IsNullOrWhiteSpace(operation.Reason))
        {
            throw new ClusterException("illegal_argument_exception", "[reason] is required");
        }

        return state with { Metadata = state.Metadata with { Shutdowns = state.Metadata.Shutdowns.SetItem(operation.Name!, new NodeShutdown(operation.Name!, type, operation.Reason, now)) } };
    }
}
