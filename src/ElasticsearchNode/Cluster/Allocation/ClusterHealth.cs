using System.Collections.Immutable;
using Cloud.ElasticsearchNode.Cluster.State;

namespace Cloud.ElasticsearchNode.Cluster.Allocation;

/// <summary>
/// Health as Elasticsearch defines it: a shard is green when every copy is active, yellow when its
/// primary is active but a replica is not, red when its primary is not active; an index and the
/// cluster take the worst of theirs.
/// </summary>
internal sealed record ClusterHealth(
    string Status,
    int NumberOfNodes,
    int NumberOfDataNodes,
    int ActivePrimaryShards,
    int ActiveShards,
    int RelocatingShards,
    int InitializingShards,
    int UnassignedShards,
    ImmutableSortedDictionary<string, string> IndexStatus)
{
    public double ActiveShardsPercent
    {
        get
        {
            var total = ActiveShards + InitializingShards + UnassignedShards;
            return total == 0 ? 100.0 : 100.0 * ActiveShards / total;
        }
    }

    public static ClusterHealth Of(ClusterState state, IReadOnlyCollection<string>? indices = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        var selected = state.Metadata.Indices.Values.Where(i => indices is null || indices.Count == 0 || indices.Contains(i.Name)).ToList();
        var statuses = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        int activePrimaries = 0, active = 0, relocating = 0, initializing = 0, unassigned = 0;
        foreach (var index in selected)
        {
            var indexStatus = "green";
            for (var shard = 0; shard < index.NumberOfShards; shard++)
            {
                var copies = state.Routing.CopiesOf(new ShardId(index.Name, shard)).Where(s => !s.IsRelocationTarget).ToList();
                var primary = copies.FirstOrDefault(s => s.Primary);
                activePrimaries += primary is { Active: true } ? 1 : 0;
                active += copies.Count(s => s.Active);
                relocating += copies.Count(s => s.State == ShardRoutingState.Relocating);
                initializing += copies.Count(s => s.State == ShardRoutingState.Initializing);
                unassigned += copies.Count(s => s.State == ShardRoutingState.Unassigned);
                var shardStatus = primary is not { Active: true } ? "red" : copies.All(s => s.Active) ? "green" : "yellow";
                indexStatus = Worst(indexStatus, shardStatus);
            }

            statuses[index.Name] = indexStatus;
        }

        var status = statuses.Values.Aggregate("green", Worst);
        return new ClusterHealth(status, state.Nodes.Count, state.DataNodes.Count(), activePrimaries, active, relocating, initializing, unassigned, statuses.ToImmutable());
    }

    public static int Rank(string status) => status switch { "green" => 0, "yellow" => 1, _ => 2 };

    private static string Worst(string a, string b) => Rank(a) >= Rank(b) ? a : b;
}
