using System.Collections.Immutable;
using Cloud.Constructor.Infrastructure;
using Cloud.Constructor.Placement;
using Cloud.Shared.Allocators;
using Cloud.Shared.Coordination;
using Cloud.Shared.Hosting;
using Cloud.Shared.Serialization;
using Cloud.ZooKeeper;

namespace Cloud.Constructor.Clusters;

/// <summary>
/// When a cluster is deleted, asks every allocator that was ever assigned an instance (it has a work node
/// under <c>/cloud/allocators-work</c>, connected or not) to remove the cluster's data from its host:
/// <c>/cloud/allocators-purge/&lt;allocator_id&gt;/&lt;cluster_id&gt;</c>. The request names every instance the
/// cluster ever had; an allocator holding none of them simply closes it. An allocator that is down acts
/// when it comes back. One without a work node never held data, and is not authoritative (it acts on nothing). Idempotent: a DELETE retried after a crash writes the same requests again.
/// </summary>
public sealed class DataPurgeWriter(ZooKeeperConnection connection, TimeProvider timeProvider)
{
    /// <returns>The allocators asked.</returns>
    public async Task<ImmutableArray<string>> RequestAsync(string clusterId, ClusterPlans plans, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plans);
        var client = await connection.GetClientAsync(cancellationToken);
        var request = new DataPurgeRequest
        {
            ClusterId = clusterId,
            Instances = [.. InstanceNamesOf(plans)],
            RequestedAt = timeProvider.GetUtcNow(),
        };
        var data = CloudJson.Serialize(request);
        var allocators = (await ZooKeeperReads.ChildrenAsync(client, CloudPaths.AllocatorsWork, cancellationToken))
            .Where(NodeNames.IsValid)
            .ToImmutableArray();
        foreach (var allocatorId in allocators)
        {
            await client.UpsertAsync(CloudPaths.Purge(allocatorId, clusterId), data, cancellationToken: cancellationToken);
        }

        return allocators;
    }

    /// <summary>Names are never reused in a cluster and numbered from 1: every name below the next number, plus any recorded.</summary>
    private static IEnumerable<string> InstanceNamesOf(ClusterPlans plans)
    {
        var numbered = Enumerable.Range(1, (int)Math.Max(0, Math.Min(int.MaxValue, plans.NextInstanceNumber - 1))).Select(n => InstanceNames.For(n));
        var recorded = new[] { plans.Current, plans.Pending }.Concat(plans.History).OfType<PlanRecord>().SelectMany(p => p.Instances).Select(i => i.InstanceName);
        return numbered.Concat(recorded).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
    }
}
