using System.Text.Json;
using Cloud.Shared.Coordination;
using Cloud.Shared.Hosting;
using Cloud.Shared.Serialization;
using Cloud.ZooKeeper;

namespace Cloud.Constructor.Clusters;

/// <summary>Reads and writes clusters and their plans under <c>/cloud/clusters</c>.</summary>
public sealed class ClusterStore(ZooKeeperConnection connection)
{
    public async Task<bool> CreateAsync(ClusterRecord record, ClusterPlans plans, CancellationToken cancellationToken)
    {
        var client = await connection.GetClientAsync(cancellationToken);
        await client.CreateRecursiveAsync(CloudPaths.Clusters, cancellationToken: cancellationToken);
        try
        {
            await client.MultiAsync(
                [
                    Op.Create(CloudPaths.Cluster(record.ClusterId), CloudJson.Serialize(record)),
                    Op.Create(CloudPaths.ClusterPlan(record.ClusterId), CloudJson.Serialize(plans)),
                ],
                cancellationToken);
            return true;
        }
        catch (NodeExistsException)
        {
            return false;
        }
    }

    public async Task<IReadOnlyList<string>> ListIdsAsync(CancellationToken cancellationToken)
    {
        var client = await connection.GetClientAsync(cancellationToken);
        try
        {
            var children = await client.GetChildrenAsync(CloudPaths.Clusters, cancellationToken: cancellationToken);
            return [.. children.Children.Order(StringComparer.Ordinal)];
        }
        catch (NoNodeException)
        {
            return [];
        }
    }

    public async Task<ClusterSnapshot?> TryGetAsync(string clusterId, CancellationToken cancellationToken)
    {
        if (!NodeNames.IsValid(clusterId))
        {
            return null;
        }

        var client = await connection.GetClientAsync(cancellationToken);
        try
        {
            var record = await client.GetDataAsync(CloudPaths.Cluster(clusterId), cancellationToken: cancellationToken);
            var plans = await client.GetDataAsync(CloudPaths.ClusterPlan(clusterId), cancellationToken: cancellationToken);
            return new ClusterSnapshot(CloudJson.Deserialize<ClusterRecord>(record.Data), CloudJson.Deserialize<ClusterPlans>(plans.Data), plans.Stat.Version);
        }
        catch (NoNodeException)
        {
            return null;
        }
        catch (JsonException ex)
        {
            throw new UnreadableClusterException(clusterId, ex);
        }
    }

    /// <summary>
    /// The cluster, or null when it is gone or its record does not parse: for passes over every cluster (a listing,
    /// remediation), which go on with the others; the leader's pass reports the unreadable one.
    /// </summary>
    public async Task<ClusterSnapshot?> TryGetReadableAsync(string clusterId, CancellationToken cancellationToken)
    {
        try
        {
            return await TryGetAsync(clusterId, cancellationToken);
        }
        catch (UnreadableClusterException)
        {
            return null;
        }
    }

    /// <summary>Writes <paramref name="plans"/> if the node is still at <paramref name="expectedVersion"/>; returns the new version.</summary>
    /// <exception cref="BadVersionException">Someone else wrote in between (another leader, an API call).</exception>
    public async Task<int> SetPlansAsync(string clusterId, ClusterPlans plans, int expectedVersion, CancellationToken cancellationToken)
    {
        var client = await connection.GetClientAsync(cancellationToken);
        var stat = await client.SetDataAsync(CloudPaths.ClusterPlan(clusterId), CloudJson.Serialize(plans), expectedVersion, cancellationToken);
        return stat.Version;
    }

    /// <summary>
    /// Applies <paramref name="change"/> to the latest plans with compare-and-swap, re-reading on conflict.
    /// The change returns null to write nothing.
    /// </summary>
    public async Task<ClusterSnapshot?> UpdateAsync(string clusterId, Func<ClusterSnapshot, ClusterPlans?> change, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var snapshot = await TryGetAsync(clusterId, cancellationToken);
            if (snapshot is null)
            {
                return null;
            }

            var next = change(snapshot);
            if (next is null)
            {
                return snapshot;
            }

            try
            {
                var version = await SetPlansAsync(clusterId, next, snapshot.PlansVersion, cancellationToken);
                return snapshot with { Plans = next, PlansVersion = version };
            }
            catch (BadVersionException) when (attempt < 20)
            {
            }
        }
    }

    /// <summary>Removes the cluster's record and plans (its routing and assignments are removed by the caller first).</summary>
    public async Task DeleteAsync(string clusterId, CancellationToken cancellationToken)
    {
        var client = await connection.GetClientAsync(cancellationToken);
        try
        {
            await client.MultiAsync([Op.Delete(CloudPaths.ClusterPlan(clusterId)), Op.Delete(CloudPaths.Cluster(clusterId))], cancellationToken);
        }
        catch (NoNodeException)
        {
        }
    }
}
