using System.Collections.Immutable;
using System.Text.Json;
using Cloud.Allocator.Coordination;
using Cloud.Shared.Containers;
using Cloud.Shared.Coordination;
using Cloud.Shared.Serialization;
using Cloud.ZooKeeper;

namespace Cloud.Allocator.Images;

/// <summary>The images of this allocator's host, as its runner advertises them in <c>/cloud/runners/&lt;host_id&gt;</c>.</summary>
internal static class HostImagesReader
{
    /// <returns>The image references, or null when unknown (no runner registered, or one that does not say).</returns>
    public static async Task<ImmutableHashSet<string>?> ReadAsync(ZooKeeperClient client, string hostId, Watcher watcher, CancellationToken cancellationToken)
    {
        var node = await ZooKeeperNodes.TryGetDataAsync(client, CloudPaths.Runner(hostId), watcher, cancellationToken);
        if (node is null || node.Data.Length == 0)
        {
            return null;
        }

        try
        {
            return CloudJson.Deserialize<RunnerRegistration>(node.Data).Images?.Where(i => i is not null).ToImmutableHashSet(StringComparer.Ordinal);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
