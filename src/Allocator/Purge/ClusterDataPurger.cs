using System.Text.Json;
using Cloud.Allocator.Assignments;
using Cloud.Allocator.Configuration;
using Cloud.Allocator.Containers;
using Cloud.Allocator.Coordination;
using Cloud.Shared.Allocators;
using Cloud.Shared.Coordination;
using Cloud.Shared.Serialization;
using Cloud.ZooKeeper;
using Microsoft.Extensions.Logging;

namespace Cloud.Allocator.Purge;

/// <summary>
/// Acts on the data purge requests of deleted clusters (<c>/cloud/allocators-purge/&lt;allocator_id&gt;/&lt;cluster_id&gt;</c>):
/// removes <c>&lt;data_root&gt;/&lt;allocator_id&gt;/&lt;cluster_id&gt;-&lt;instance_name&gt;</c> of each instance named, then deletes
/// the request. The request holds names only; every path is built here, checked to sit directly under this
/// allocator's own directory, and an instance is purged only once nothing of it is left in force: no
/// assignment, no definition, no container the runner still reports. Until then the request waits (level
/// triggered: the next pass looks again).
/// </summary>
internal sealed partial class ClusterDataPurger(ResolvedAllocatorOptions options, ILogger<ClusterDataPurger> logger)
{
    private readonly string _ownRoot = Path.GetFullPath(Path.Combine(options.DataRoot, options.AllocatorId));

    /// <param name="assignments">This pass's assignments (authoritative: the caller checked).</param>
    /// <param name="definedInstances">Instance ids with a container definition when the pass began.</param>
    public async Task PurgeAsync(ZooKeeperClient client, AssignmentSnapshot assignments, IReadOnlySet<string> definedInstances, Watcher watcher, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(assignments);
        ArgumentNullException.ThrowIfNull(definedInstances);
        var requests = await ZooKeeperNodes.ChildrenOrEmptyAsync(client, CloudPaths.PurgesOf(options.AllocatorId), watcher, cancellationToken);
        foreach (var clusterId in requests)
        {
            if (!NodeNames.IsValid(clusterId))
            {
                LogRefused(clusterId, "not a valid cluster id");
                continue;
            }

            var path = CloudPaths.Purge(options.AllocatorId, clusterId);
            var node = await ZooKeeperNodes.TryGetDataAsync(client, path, null, cancellationToken);
            if (node is null)
            {
                continue;
            }

            var request = Read(node.Data);
            if (request is null || request.ClusterId != clusterId)
            {
                // Terminal: a request that cannot be trusted is dropped, never half acted on.
                LogRefused(clusterId, request is null ? "unreadable request" : $"cluster_id '{request.ClusterId}' differs from the node's name");
                await ZooKeeperNodes.DeleteIfExistsAsync(client, path, node.Stat.Version, cancellationToken);
                continue;
            }

            var waiting = 0;
            foreach (var instanceName in request.Instances.Distinct(StringComparer.Ordinal))
            {
                if (!await PurgeInstanceAsync(client, clusterId, instanceName, assignments, definedInstances, watcher, cancellationToken))
                {
                    waiting++;
                }
            }

            if (waiting > 0)
            {
                LogWaiting(clusterId, waiting);
                continue;
            }

            if (client.State != ConnectionState.Connected)
            {
                throw new ConnectionLossException("not connected: purge requests are only closed from an authoritative view");
            }

            try
            {
                await client.DeleteAsync(path, node.Stat.Version, cancellationToken);
                LogPurged(clusterId, request.Instances.Length);
            }
            catch (Exception ex) when (ex is NoNodeException or BadVersionException)
            {
                // Gone already, or rewritten meanwhile (the next pass acts on the new content).
            }
        }
    }

    /// <returns>True when the instance's data is gone (or never was here, or its name is refused); false to wait.</returns>
    private async Task<bool> PurgeInstanceAsync(
        ZooKeeperClient client, string clusterId, string instanceName, AssignmentSnapshot assignments, IReadOnlySet<string> definedInstances, Watcher watcher, CancellationToken cancellationToken)
    {
        if (!NodeNames.IsValid(instanceName))
        {
            LogRefusedInstance(clusterId, instanceName);
            return true;
        }

        var instanceId = $"{clusterId}-{instanceName}";
        if (assignments.Entries.ContainsKey(instanceId) || definedInstances.Contains(instanceId))
        {
            return false;
        }

        // The runner removes a container's inspect node once the container is gone: until then its data stays.
        var container = ContainerNames.For(clusterId, instanceName);
        if (await client.ExistsAsync(CloudPaths.InspectedContainer(options.HostId, container), watcher, cancellationToken) is not null)
        {
            return false;
        }

        var directory = Path.GetFullPath(InstancePaths.For(options.DataRoot, options.AllocatorId, instanceId, clusterId).InstanceDirectory);
        if (!string.Equals(Path.GetDirectoryName(directory), _ownRoot, StringComparison.Ordinal))
        {
            LogRefusedInstance(clusterId, instanceName);
            return true;
        }

        var info = new DirectoryInfo(directory);
        if (!info.Exists && info.LinkTarget is null)
        {
            return true;
        }

        try
        {
            // A symbolic link is removed itself, never followed; a recursive delete does not follow links inside either.
            info.Delete(recursive: info.LinkTarget is null);
            LogInstancePurged(instanceId, directory);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogDeleteFailed(ex, instanceId, directory);
            return false;
        }
    }

    private static DataPurgeRequest? Read(byte[] data)
    {
        try
        {
            return data.Length == 0 ? null : CloudJson.Deserialize<DataPurgeRequest>(data);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Data of deleted cluster {ClusterId} purged ({Count} instance names); request closed")]
    private partial void LogPurged(string clusterId, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Data of {InstanceId} removed: {Directory}")]
    private partial void LogInstancePurged(string instanceId, string directory);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Purge of cluster {ClusterId} waits for {Count} instances still assigned, defined or with a container")]
    private partial void LogWaiting(string clusterId, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Purge request {ClusterId} refused: {Reason}")]
    private partial void LogRefused(string clusterId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Purge request {ClusterId}: instance name '{InstanceName}' refused, nothing of it is deleted")]
    private partial void LogRefusedInstance(string clusterId, string instanceName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Removing the data of {InstanceId} ({Directory}) failed; retried on the next pass")]
    private partial void LogDeleteFailed(Exception exception, string instanceId, string directory);
}
