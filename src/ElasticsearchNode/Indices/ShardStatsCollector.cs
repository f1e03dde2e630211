using Cloud.ElasticsearchNode.Cluster;
using Cloud.ElasticsearchNode.Cluster.Coordination;
using Cloud.ElasticsearchNode.Cluster.Transport;
using Cloud.ElasticsearchNode.Engine;

namespace Cloud.ElasticsearchNode.Indices;

/// <summary>
/// The size and activity of every active shard copy, for <c>_stats</c> and <c>_cat/indices|count</c>: on a lone
/// node its own shards (all primaries); in a cluster, each node's active copies as its routing names them (a
/// relocation target is not counted until it is the copy), gathered over the transport.
/// </summary>
internal sealed class ShardStatsCollector(IndicesService indices, IIndexMetadataService metadata, ClusterNode node)
{
    public const string Action = "indices:monitor/stats[n]";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private bool Alone => node.Options.Coordination.BootstrapAlone;

    public void Register() =>
        node.Transport.Register<Empty, NodeShardStats>(Action, (_, _) => Task.FromResult(new NodeShardStats(Local())));

    /// <summary>Every reachable copy's stats; a node that does not answer contributes none (its copies count as failed).</summary>
    public async Task<IReadOnlyList<CopyStats>> CollectAsync(CancellationToken cancellationToken)
    {
        if (Alone)
        {
            return Local();
        }

        var answers = await Task.WhenAll(node.State.Nodes.Values.Select(async n =>
        {
            try
            {
                return n.Id == node.LocalNode.Id
                    ? Local()
                    : (await node.Transport.SendAsync<Empty, NodeShardStats>(n.TransportAddress, Action, Empty.Instance, Timeout, cancellationToken)).Copies;
            }
            catch (TransportException)
            {
                return [];
            }
        }));
        return [.. answers.SelectMany(a => a)];
    }

    private List<CopyStats> Local()
    {
        var result = new List<CopyStats>();
        if (Alone)
        {
            foreach (var index in indices.All)
            {
                result.AddRange(index.Shards.Where(s => s.Shard is not null).Select(s => new CopyStats(index.Metadata.Uuid, s.Number, true, node.LocalNode.Id, s.Shard!.Stats())));
            }

            return result;
        }

        var current = metadata.Current;
        foreach (var copy in node.State.Routing.OnNode(node.LocalNode.Id).Where(c => c.Active && !c.IsRelocationTarget))
        {
            if (current.Index(copy.Index) is { } index && indices.Get(index.Uuid)?.Shards is { } slots && copy.Shard < slots.Length && slots[copy.Shard].Shard is { } shard)
            {
                result.Add(new CopyStats(index.Uuid, copy.Shard, copy.Primary, node.LocalNode.Id, shard.Stats()));
            }
        }

        return result;
    }
}

/// <summary>One shard copy's stats: its index (by uuid), shard number, whether it is the primary, the node holding it.</summary>
internal sealed record CopyStats(string IndexUuid, int Shard, bool Primary, string NodeId, ShardStats Stats);

/// <summary>A node's answer: the stats of every active copy it holds.</summary>
internal sealed record NodeShardStats(IReadOnlyList<CopyStats> Copies);
