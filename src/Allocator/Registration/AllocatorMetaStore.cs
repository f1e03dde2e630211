using Cloud.Allocator.Coordination;
using Cloud.Shared.Allocators;
using Cloud.Shared.Coordination;
using Cloud.Shared.Serialization;
using Cloud.ZooKeeper;

namespace Cloud.Allocator.Registration;

/// <summary>
/// The operator's decisions about this allocator (maintenance mode, tags) at
/// <c>/cloud/allocators-meta/&lt;allocator_id&gt;</c>: persistent, so they survive restarts and session loss.
/// Created empty when missing, never overwritten by the allocator.
/// </summary>
internal static class AllocatorMetaStore
{
    /// <summary>Reads (and watches) the meta node; throws <see cref="System.Text.Json.JsonException"/> when it holds garbage.</summary>
    public static async Task<AllocatorMeta> ReadAsync(ZooKeeperClient client, string allocatorId, Watcher watcher, CancellationToken cancellationToken)
    {
        var path = CloudPaths.AllocatorMeta(allocatorId);
        var node = await ZooKeeperNodes.TryGetDataAsync(client, path, watcher, cancellationToken);
        if (node is null)
        {
            try
            {
                await ZooKeeperNodes.CreateAsync(client, path, CloudJson.Serialize(new AllocatorMeta()), CreateMode.Persistent, cancellationToken);
            }
            catch (NodeExistsException)
            {
                // Written by an operator meanwhile: read theirs below.
            }

            node = await client.GetDataAsync(path, watcher, cancellationToken);
        }

        return node.Data.Length == 0 ? new AllocatorMeta() : CloudJson.Deserialize<AllocatorMeta>(node.Data);
    }
}
