using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cloud.ElasticsearchNode.Indices;
using Cloud.ElasticsearchNode.Mapping;

namespace Cloud.ElasticsearchNode.Cluster.State;

/// <summary>
/// The engine's <see cref="IndexMetadata"/> and the cluster state's <see cref="ClusterIndex"/> are one
/// model: every engine field has its place in the cluster index (mappings as JSON), and the cluster
/// index adds what only the master decides (in-sync allocation ids). Both directions are lossless.
/// </summary>
internal static class IndexConversion
{
    private static readonly ImmutableSortedDictionary<string, AliasMetadata> NoAliases = ImmutableSortedDictionary<string, AliasMetadata>.Empty.WithComparers(StringComparer.Ordinal);

    public static IndexMetadata ToEngine(ClusterIndex index)
    {
        ArgumentNullException.ThrowIfNull(index);
        var mappings = index.Mappings is { } json ? TypeMapping.Parse(JsonNode.Parse(json.GetRawText())) : TypeMapping.Empty;
        return new IndexMetadata(index.Name, index.Uuid, index.NumberOfShards, index.NumberOfReplicas, mappings,
            index.Aliases ?? NoAliases, index.Settings, index.CreationDate, index.PrimaryTerms, index.Version);
    }

    /// <summary>The engine's view of a changed index, keeping the master's own fields of <paramref name="existing"/>.</summary>
    public static ClusterIndex FromEngine(IndexMetadata index, ClusterIndex? existing)
    {
        ArgumentNullException.ThrowIfNull(index);
        var mappings = JsonSerializer.SerializeToElement(index.Mappings.ToJson());
        return existing is null
            ? ClusterIndex.Create(index.Name, index.Uuid, index.NumberOfShards, index.NumberOfReplicas, index.CreationDate, index.Settings, mappings) with
            {
                Aliases = index.Aliases,
                Version = index.Version,
            }
            : existing with
            {
                NumberOfReplicas = index.NumberOfReplicas,
                Settings = index.Settings,
                Mappings = mappings,
                Aliases = index.Aliases,
                Version = index.Version,
            };
    }

    /// <summary>The engine's metadata of every index in <paramref name="state"/>.</summary>
    public static Indices.ClusterMetadata ToEngine(ClusterState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var empty = Indices.ClusterMetadata.Empty(state.ClusterUuid);
        return empty with
        {
            Version = state.Version,
            Indices = empty.Indices.AddRange(state.Metadata.Indices.Values.Select(i => KeyValuePair.Create(i.Name, ToEngine(i)))),
        };
    }
}
