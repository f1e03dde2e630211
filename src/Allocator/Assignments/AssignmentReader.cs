using System.Collections.Immutable;
using System.Text.Json;
using Cloud.Allocator.Coordination;
using Cloud.Shared.Allocators;
using Cloud.Shared.Coordination;
using Cloud.Shared.Serialization;
using Cloud.ZooKeeper;

namespace Cloud.Allocator.Assignments;

/// <summary>Reads (and watches) the instances the constructor assigned to this allocator.</summary>
internal static class AssignmentReader
{
    public static async Task<AssignmentSnapshot> ReadAsync(ZooKeeperClient client, string allocatorId, Watcher watcher, CancellationToken cancellationToken)
    {
        var workPath = CloudPaths.WorkOf(allocatorId);
        var names = await ZooKeeperNodes.TryGetChildrenAsync(client, workPath, watcher, cancellationToken);
        if (names is null)
        {
            return AssignmentSnapshot.NotAuthoritative;
        }

        var reads = names.Where(NodeNames.IsValid)
            .Select(name => ReadOneAsync(client, name, CloudPaths.Assignment(allocatorId, name), watcher, cancellationToken));
        var entries = await Task.WhenAll(reads);
        return new AssignmentSnapshot(entries.OfType<AssignmentEntry>().ToImmutableSortedDictionary(e => e.InstanceId, e => e, StringComparer.Ordinal), IsAuthoritative: true);
    }

    private static async Task<AssignmentEntry?> ReadOneAsync(ZooKeeperClient client, string instanceId, string path, Watcher watcher, CancellationToken cancellationToken)
    {
        var node = await ZooKeeperNodes.TryGetDataAsync(client, path, watcher, cancellationToken);
        if (node is null)
        {
            return null;
        }

        try
        {
            var assignment = CloudJson.Deserialize<InstanceAssignment>(node.Data);
            NodeNames.EnsureValid(assignment.ClusterId, "cluster_id");
            NodeNames.EnsureValid(assignment.InstanceName, "instance_name");
            return new AssignmentEntry(instanceId, node.Stat.Czxid, assignment);
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or NotSupportedException)
        {
            return new AssignmentEntry(instanceId, node.Stat.Czxid, null, ex.Message);
        }
    }
}
