using System.Collections.Immutable;
using System.Text.Json;
using Cloud.ElasticsearchNode.Indices;

namespace Cloud.ElasticsearchNode.Cluster;

/// <summary>
/// An index metadata change as it travels to the master (<see cref="MasterOperation.IndexChange"/>):
/// the arguments of one <see cref="IndexMetadataChanges"/> function, in wire-friendly form.
/// </summary>
internal sealed record IndexChange(
    string Kind,
    IReadOnlyList<string>? Indices = null,
    int Shards = 1,
    int Replicas = 1,
    JsonElement? Mappings = null,
    IReadOnlyList<AliasMetadata>? Aliases = null,
    IReadOnlyList<AliasAction>? AliasActions = null,
    ImmutableSortedDictionary<string, string>? Settings = null)
{
    public const string Create = "create_index";
    public const string Delete = "delete_indices";
    public const string PutMapping = "put_mapping";
    public const string UpdateAliases = "update_aliases";
    public const string UpdateSettings = "update_settings";
}
