using Cloud.Constructor.Clusters;
using Cloud.Shared.Coordination;
using Cloud.Shared.Hosting;
using Cloud.Shared.Routing;
using Cloud.Shared.Serialization;
using Cloud.ZooKeeper;

namespace Cloud.Constructor.Routing;

/// <summary>
/// Writes <c>/cloud/routing/&lt;cluster_id&gt;</c> as a function of the cluster's plans: the instances a plan
/// routed, minus those in maintenance. Whoever writes it (plan step, maintenance call) writes the same value.
/// </summary>
public sealed class RoutingWriter(ZooKeeperConnection connection, TimeProvider timeProvider)
{
    public static RoutingTable TableFor(string clusterId, ClusterPlans plans, DateTimeOffset now) => new()
    {
        ClusterId = clusterId,
        Instances = [.. plans.RoutedInstances.Except(plans.MaintenanceInstances, StringComparer.Ordinal).Order(StringComparer.Ordinal)],
        Maintenance = [.. plans.MaintenanceInstances.Order(StringComparer.Ordinal)],
        UpdatedAt = now,
    };

    public async Task WriteAsync(string clusterId, ClusterPlans plans, CancellationToken cancellationToken)
    {
        var client = await connection.GetClientAsync(cancellationToken);
        var table = TableFor(clusterId, plans, timeProvider.GetUtcNow());
        var path = CloudPaths.RoutingOf(clusterId);
        try
        {
            var existing = await client.GetDataAsync(path, cancellationToken: cancellationToken);
            var old = CloudJson.Deserialize<RoutingTable>(existing.Data);
            if (old.Instances.SequenceEqual(table.Instances) && old.Maintenance.SequenceEqual(table.Maintenance))
            {
                return;
            }

            await client.SetDataAsync(path, CloudJson.Serialize(table), existing.Stat.Version, cancellationToken);
        }
        catch (NoNodeException)
        {
            await client.CreateRecursiveAsync(CloudPaths.Routing, cancellationToken: cancellationToken);
            await client.CreateAsync(path, CloudJson.Serialize(table), cancellationToken: cancellationToken);
        }
    }

    public async Task DeleteAsync(string clusterId, CancellationToken cancellationToken)
    {
        var client = await connection.GetClientAsync(cancellationToken);
        foreach (var overrideId in await Infrastructure.ZooKeeperReads.ChildrenAsync(client, CloudPaths.OverridesOf(clusterId), cancellationToken))
        {
            await DeleteQuietlyAsync(client, CloudPaths.Override(clusterId, overrideId), cancellationToken);
        }

        await DeleteQuietlyAsync(client, CloudPaths.OverridesOf(clusterId), cancellationToken);
        await DeleteQuietlyAsync(client, CloudPaths.RoutingOf(clusterId), cancellationToken);
    }

    private static async Task DeleteQuietlyAsync(ZooKeeperClient client, string path, CancellationToken cancellationToken)
    {
        try
        {
            await client.DeleteAsync(path, cancellationToken: cancellationToken);
        }
        catch (NoNodeException)
        {
        }
    }
}
