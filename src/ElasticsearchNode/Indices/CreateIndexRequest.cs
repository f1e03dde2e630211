using System.Collections.Immutable;
using Cloud.ElasticsearchNode.Mapping;

namespace Cloud.ElasticsearchNode.Indices;

/// <summary>An index to create: its name, shard and replica counts, mappings, aliases and other <c>index.*</c> settings.</summary>
internal sealed record CreateIndexRequest(
    string Name,
    int NumberOfShards,
    int NumberOfReplicas,
    TypeMapping Mappings,
    ImmutableArray<AliasMetadata> Aliases,
    ImmutableSortedDictionary<string, string> Settings);
