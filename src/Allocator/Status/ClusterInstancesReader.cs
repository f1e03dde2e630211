using System.Collections.Immutable;
using System.Text.Json;
using Cloud.Allocator.Coordination;
using Cloud.Shared.Allocators;
using Cloud.Shared.Coordination;
using Cloud.Shared.Serialization;
using Cloud.ZooKeeper;

namespace Cloud.Allocator.Status;

/// <summary>Reads the statuses every allocator published for a cluster's instances (<c>/cloud/instances/&lt;cluster_id&gt;/*</c>).</summary>
internal static class ClusterInstancesReader
{
    public static async Task<ImmutableArray<(InstanceStatus Status, int Version)>> ReadAsync(ZooKeeperClient client, string clusterId, CancellationToken cancellationToken)
    {
        var names = await ZooKeeperNodes.ChildrenOrEmptyAsync(client, CloudPaths.InstancesOf(clusterId), null, cancellationToken);
        var reads = names.Where(NodeNames.IsValid).Select(async name =>
        {
            var node = await ZooKeeperNodes.TryGetDataAsync(client, CloudPaths.Instance(clusterId, name), null, cancellationToken);
            if (node is null)
            {
                return ((InstanceStatus, int)?)null;
            }

            try
            {
                return (CloudJson.Deserialize<InstanceStatus>(node.Data), node.Stat.Version);
            }
            catch (JsonException)
            {
                return null;
            }
        });
        return [.. (await Task.WhenAll(reads)).OfType<(InstanceStatus, int)>()];
    }

    /// <summary>Every cluster with published instance statuses.</summary>
    public static Task<IReadOnlyList<string>> ClustersAsync(ZooKeeperClient client, CancellationToken cancellationToken) =>
        ZooKeeperNodes.ChildrenOrEmptyAsync(client, CloudPaths.Instances, null, cancellationToken);
}
