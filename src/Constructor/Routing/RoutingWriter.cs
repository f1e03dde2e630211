using System.Collections.Immutable;
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
/// The traffic filter (<c>allowed_sources</c>) is not the plans' to decide: it is kept as the node has it.
/// </summary>
public sealed class RoutingWriter(ZooKeeperConnection connection, TimeProvider timeProvider)
{
    public static RoutingTable TableFor(string clusterId, ClusterPlans plans, DateTimeOffset now, ImmutableArray<string> allowedSources = default)
    {
        ArgumentNullException.ThrowIfNull(plans);
        return new()
        {
            ClusterId = clusterId,
            Instances = [.. plans.RoutedInstances.Except(plans.MaintenanceInstances, StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            Maintenance = [.. plans.MaintenanceInstances.Order(StringComparer.Ordinal)],
            AllowedSources = allowedSources.IsDefault ? [] : allowedSources,
            UpdatedAt = now,
        };
    }

    public async Task WriteAsync(string clusterId, ClusterPlans plans, CancellationToken cancellationToken)
    {
        var client = await connection.GetClientAsync(cancellationToken);
        var path = CloudPaths.RoutingOf(clusterId);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var existing = await client.GetDataAsync(path, cancellationToken: cancellationToken);
                var old = CloudJson.Deserialize<RoutingTable>(existing.Data);
                var table = TableFor(clusterId, plans, timeProvider.GetUtcNow(), old.AllowedSources);
                if (old.Instances.SequenceEqual(table.Instances) && old.Maintenance.SequenceEqual(table.Maintenance))
                {
                    return;
                }

                await client.SetDataAsync(path, CloudJson.Serialize(table), existing.Stat.Version, cancellationToken);
                return;
            }
            catch (BadVersionException) when (attempt < 10)
            {
                // Written in between (a traffic filter set, another writer): re-read, so nothing written there is lost.
            }
            catch (NoNodeException)
            {
                await client.CreateRecursiveAsync(CloudPaths.Routing, cancellationToken: cancellationToken);
                try
                {
                    await client.CreateAsync(path, CloudJson.Serialize(TableFor(clusterId, plans, timeProvider.GetUtcNow())), cancellationToken: cancellationToken);
                    return;
                }
                catch (NodeExistsException) when (attempt < 10)
                {
                }
            }
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
