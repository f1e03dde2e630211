using System.Collections.Immutable;
using System.Text.Json;
using Cloud.Allocator.Containers;
using Cloud.Allocator.Coordination;
using Cloud.Shared.Containers;
using Cloud.Shared.Coordination;
using Cloud.ZooKeeper;

namespace Cloud.Allocator.Assignments;

/// <summary>
/// Reads the definitions under <c>/cloud/containers/&lt;host_id&gt;</c> that this allocator owns (labelled
/// with its id); anything else there belongs to someone else and is never touched.
/// </summary>
internal static class DefinitionReader
{
    public static async Task<ImmutableSortedDictionary<string, WrittenDefinition>> ReadAsync(
        ZooKeeperClient client, string hostId, string allocatorId, Watcher watcher, CancellationToken cancellationToken)
    {
        var names = await ZooKeeperNodes.ChildrenOrEmptyAsync(client, CloudPaths.ContainersOf(hostId), watcher, cancellationToken);
        var reads = names
            .Where(n => n.StartsWith(ContainerNames.Prefix, StringComparison.Ordinal) && NodeNames.IsValid(n))
            .Select(async name =>
            {
                var node = await ZooKeeperNodes.TryGetDataAsync(client, CloudPaths.Container(hostId, name), null, cancellationToken);
                if (node is null)
                {
                    return null;
                }

                try
                {
                    var spec = ContainerSpecJson.Deserialize(node.Data);
                    return spec.Labels?.GetValueOrDefault(ContainerLabels.Allocator) == allocatorId
                        ? new WrittenDefinition(name, spec, node.Stat.Version, spec.Labels?.GetValueOrDefault(ContainerLabels.InstanceId))
                        : null;
                }
                catch (JsonException)
                {
                    return null;
                }
            });
        var definitions = await Task.WhenAll(reads);
        return definitions.OfType<WrittenDefinition>().ToImmutableSortedDictionary(d => d.ContainerName, d => d, StringComparer.Ordinal);
    }
}
