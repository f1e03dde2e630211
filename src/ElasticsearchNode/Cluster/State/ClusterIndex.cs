using System.Collections.Immutable;
using System.Text.Json;

namespace Cloud.ElasticsearchNode.Cluster.State;

/// <summary>
/// An index as the cluster state carries it: shape, settings and mappings, the primary term of each
/// shard (bumped on every promotion) and the allocation ids of each shard's in-sync copies. It is the
/// engine's <see cref="Indices.IndexMetadata"/> plus what only the master tracks (<see cref="IndexConversion"/>).
/// </summary>
internal sealed record ClusterIndex(
    string Name,
    string Uuid,
    int NumberOfShards,
    int NumberOfReplicas,
    long CreationDate,
    ImmutableArray<long> PrimaryTerms,
    ImmutableArray<ImmutableSortedSet<string>> InSyncAllocationIds,
    ImmutableSortedDictionary<string, string> Settings,
    JsonElement? Mappings = null,
    string State = "open",
    long Version = 1,
    ImmutableSortedDictionary<string, Indices.AliasMetadata>? Aliases = null)
{
    public static ClusterIndex Create(string name, string uuid, int shards, int replicas, long creationDate, ImmutableSortedDictionary<string, string> settings, JsonElement? mappings) =>
        new(name, uuid, shards, replicas, creationDate, [.. Enumerable.Repeat(1L, shards)], [.. Enumerable.Repeat(ImmutableSortedSet<string>.Empty, shards)], settings, mappings);

    public string? Setting(string key) => Settings.TryGetValue(key, out var value) ? value : null;
}
