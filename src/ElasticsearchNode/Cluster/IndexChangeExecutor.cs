using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Cloud.ElasticsearchNode.Cluster.Allocation;
using Cloud.ElasticsearchNode.Cluster.State;
using Cloud.ElasticsearchNode.Errors;
using Cloud.ElasticsearchNode.Indices;
using Cloud.ElasticsearchNode.Mapping;

namespace Cloud.ElasticsearchNode.Cluster;

/// <summary>
/// The master's side of an <see cref="IndexChange"/>: the same pure <see cref="IndexMetadataChanges"/> a
/// lone node runs, applied to the engine view of the cluster state, then merged back with the routing
/// table following (copies added for a new index, dropped with a deleted one, replicas added or removed).
/// </summary>
internal static class IndexChangeExecutor
{
    public static ClusterState Apply(ClusterState state, IndexChange change, long now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(change);
        var before = IndexConversion.ToEngine(state);
        var after = change.Kind switch
        {
            IndexChange.Create => IndexMetadataChanges.CreateIndex(before, new CreateIndexRequest(
                Single(change), change.Shards, change.Replicas, Mappings(change), [.. change.Aliases ?? []],
                change.Settings ?? ImmutableSortedDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal)), now, IndexMetadataChanges.NewUuid()).Next,
            IndexChange.Delete => IndexMetadataChanges.DeleteIndices(before, change.Indices ?? []),
            IndexChange.PutMapping => IndexMetadataChanges.PutMapping(before, Single(change), Mappings(change)).Next,
            IndexChange.UpdateAliases => IndexMetadataChanges.UpdateAliases(before, change.AliasActions ?? []),
            IndexChange.UpdateSettings => IndexMetadataChanges.UpdateSettings(before, change.Indices ?? [], change.Settings ?? ImmutableSortedDictionary<string, string>.Empty),
            _ => throw ElasticsearchException.IllegalArgument($"unknown index change [{change.Kind}]"),
        };
        return ReferenceEquals(after, before) ? state : Merge(state, before, after, now);
    }

    private static ClusterState Merge(ClusterState state, Indices.ClusterMetadata before, Indices.ClusterMetadata after, long now)
    {
        var next = state;
        foreach (var name in before.Indices.Keys.Where(n => !after.Indices.ContainsKey(n)))
        {
            next = RoutingChanges.RemoveIndex(next, name);
        }

        foreach (var (name, index) in after.Indices)
        {
            var old = before.Index(name);
            if (old is null)
            {
                next = RoutingChanges.AddIndex(next, IndexConversion.FromEngine(index, null), now);
                continue;
            }

            if (ReferenceEquals(old, index))
            {
                continue;
            }

            if (old.NumberOfReplicas != index.NumberOfReplicas)
            {
                next = RoutingChanges.SetReplicas(next, name, index.NumberOfReplicas, now);
            }

            var existing = next.Metadata.Indices[name];
            next = next with { Metadata = next.Metadata with { Indices = next.Metadata.Indices.SetItem(name, IndexConversion.FromEngine(index, existing)) } };
        }

        return next;
    }

    private static string Single(IndexChange change) =>
        change.Indices is [var name] ? name : throw ElasticsearchException.ActionRequestValidation("exactly one index is expected");

    private static TypeMapping Mappings(IndexChange change) =>
        change.Mappings is { } json ? TypeMapping.Parse(JsonNode.Parse(json.GetRawText())) : TypeMapping.Empty;
}
