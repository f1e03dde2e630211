using Cloud.Allocator.Coordination;
using Cloud.Shared.Allocators;
using Cloud.Shared.Coordination;
using Cloud.Shared.Serialization;
using Cloud.ZooKeeper;
using Microsoft.Extensions.Logging;

namespace Cloud.Allocator.Status;

/// <summary>
/// Publishes instance statuses (persistent nodes), writing only when the content changed apart from
/// timestamps, and deletes the statuses of instances no longer assigned here. It remembers what it
/// published; on its first pass it learns what an earlier process left behind.
/// </summary>
internal sealed partial class InstanceStatusPublisher(string allocatorId, ILogger<InstanceStatusPublisher> logger)
{
    private Dictionary<InstanceKey, InstanceStatus>? _published;

    public async Task PublishAsync(ZooKeeperClient client, IReadOnlyCollection<InstanceStatus> statuses, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(statuses);
        _published ??= await LoadPublishedAsync(client, cancellationToken);
        foreach (var status in statuses)
        {
            var key = new InstanceKey(status.ClusterId, status.InstanceName);
            var comparable = InstanceStatusComposer.WithoutTimestamps(status);
            if (_published.TryGetValue(key, out var previous) && CloudJson.Serialize(previous).AsSpan().SequenceEqual(CloudJson.Serialize(comparable)))
            {
                continue;
            }

            await WriteAsync(client, CloudPaths.Instance(key.ClusterId, key.InstanceName), CloudJson.Serialize(status), cancellationToken);
            _published[key] = comparable;
            LogPublished(key.ClusterId, key.InstanceName, status.ContainerState, status.Probe?.Reachable ?? false);
        }

        var current = statuses.Select(s => new InstanceKey(s.ClusterId, s.InstanceName)).ToHashSet();
        foreach (var stale in _published.Keys.Where(k => !current.Contains(k)).ToList())
        {
            await DeleteIfOursAsync(client, stale, cancellationToken);
            _published.Remove(stale);
        }
    }

    /// <summary>
    /// Writes an instance's node. One written under another identity (this host enrolled again with new
    /// credentials, or the instance ran elsewhere before) is deleted and created again as this allocator's own.
    /// </summary>
    private async Task WriteAsync(ZooKeeperClient client, string path, byte[] data, CancellationToken cancellationToken)
    {
        try
        {
            await client.UpsertAsync(path, data, cancellationToken: cancellationToken);
        }
        catch (NoAuthException)
        {
            LogTakingOver(path);
            try
            {
                await client.DeleteAsync(path, -1, cancellationToken);
            }
            catch (NoNodeException)
            {
            }

            await client.UpsertAsync(path, data, cancellationToken: cancellationToken);
        }
    }

    private async Task DeleteIfOursAsync(ZooKeeperClient client, InstanceKey key, CancellationToken cancellationToken)
    {
        var path = CloudPaths.Instance(key.ClusterId, key.InstanceName);
        var node = await ZooKeeperNodes.TryGetDataAsync(client, path, null, cancellationToken);
        if (node is null)
        {
            return;
        }

        var owner = TryRead(node.Data)?.AllocatorId;
        if (owner is null || owner == allocatorId)
        {
            try
            {
                await client.DeleteAsync(path, node.Stat.Version, cancellationToken);
                LogDeleted(key.ClusterId, key.InstanceName);
            }
            catch (Exception ex) when (ex is NoNodeException or BadVersionException)
            {
                // Gone or rewritten by its new allocator meanwhile: not ours to delete any more.
            }
        }
    }

    private async Task<Dictionary<InstanceKey, InstanceStatus>> LoadPublishedAsync(ZooKeeperClient client, CancellationToken cancellationToken)
    {
        var published = new Dictionary<InstanceKey, InstanceStatus>();
        foreach (var clusterId in await ClusterInstancesReader.ClustersAsync(client, cancellationToken))
        {
            if (!NodeNames.IsValid(clusterId))
            {
                continue;
            }

            foreach (var (status, _) in await ClusterInstancesReader.ReadAsync(client, clusterId, cancellationToken))
            {
                if (status.AllocatorId == allocatorId)
                {
                    published[new InstanceKey(status.ClusterId, status.InstanceName)] = InstanceStatusComposer.WithoutTimestamps(status);
                }
            }
        }

        return published;
    }

    private static InstanceStatus? TryRead(byte[] data)
    {
        try
        {
            return CloudJson.Deserialize<InstanceStatus>(data);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Published status of {ClusterId}/{InstanceName}: {ContainerState}, reachable {Reachable}")]
    private partial void LogPublished(string clusterId, string instanceName, string containerState, bool reachable);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Path} was written under another ZooKeeper identity: taking it over")]
    private partial void LogTakingOver(string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted status of {ClusterId}/{InstanceName}: no longer assigned here")]
    private partial void LogDeleted(string clusterId, string instanceName);
}
