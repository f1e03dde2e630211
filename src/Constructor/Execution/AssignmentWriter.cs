using Cloud.Constructor.Clusters;
using Cloud.Constructor.Placement;
using Cloud.Shared.Allocators;
using Cloud.Shared.Coordination;
using Cloud.Shared.Hosting;
using Cloud.Shared.Serialization;
using Cloud.ZooKeeper;

namespace Cloud.Constructor.Execution;

/// <summary>
/// Writes and removes instance assignments, <c>/cloud/allocators-work/&lt;allocator_id&gt;/&lt;instance_id&gt;</c>.
/// Idempotent: writing what is already there changes nothing (so the allocator recreates nothing).
/// </summary>
public sealed class AssignmentWriter(ZooKeeperConnection connection)
{
    public static string PathOf(string clusterId, PlannedInstance instance) =>
        CloudPaths.Assignment(instance.AllocatorId, InstanceNames.InstanceId(clusterId, instance.InstanceName));

    public async Task<InstanceAssignment?> ReadAsync(string clusterId, PlannedInstance instance, CancellationToken cancellationToken)
    {
        var client = await connection.GetClientAsync(cancellationToken);
        try
        {
            return CloudJson.Deserialize<InstanceAssignment>((await client.GetDataAsync(PathOf(clusterId, instance), cancellationToken: cancellationToken)).Data);
        }
        catch (NoNodeException)
        {
            return null;
        }
    }

    /// <returns>True when something was written.</returns>
    public async Task<bool> WriteAsync(string clusterId, PlannedInstance instance, InstanceAssignment assignment, CancellationToken cancellationToken)
    {
        var client = await connection.GetClientAsync(cancellationToken);
        return await client.UpsertAsync(PathOf(clusterId, instance), CloudJson.Serialize(assignment), skipIfSame: true, cancellationToken);
    }

    /// <returns>True when the assignment existed.</returns>
    public async Task<bool> RemoveAsync(string clusterId, PlannedInstance instance, CancellationToken cancellationToken)
    {
        var client = await connection.GetClientAsync(cancellationToken);
        try
        {
            await client.DeleteAsync(PathOf(clusterId, instance), cancellationToken: cancellationToken);
            return true;
        }
        catch (NoNodeException)
        {
            return false;
        }
    }
}
