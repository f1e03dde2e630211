using System.Collections.Immutable;
using System.Text.Json;

namespace Cloud.ElasticsearchNode.Cluster;

/// <summary>A cluster-level change a node forwards to the master: what it is and its arguments.</summary>
internal sealed record MasterOperation(
    string Kind,
    string? Name = null,
    int Shards = 1,
    int Replicas = 1,
    ImmutableSortedDictionary<string, string>? Persistent = null,
    ImmutableSortedDictionary<string, string>? Transient = null,
    IReadOnlyList<string>? Names = null,
    string? Type = null,
    string? Reason = null,
    JsonElement? Mappings = null,
    IndexChange? Change = null)
{
    /// <summary>An index metadata change (<see cref="Cluster.IndexChange"/>), computed as a lone node computes it.</summary>
    public const string IndexChange = "index_change";

    public const string CreateIndex = "create_index";
    public const string DeleteIndex = "delete_index";
    public const string UpdateReplicas = "update_replicas";
    public const string PutSettings = "put_settings";
    public const string AddVotingExclusions = "add_voting_exclusions";
    public const string ClearVotingExclusions = "clear_voting_exclusions";
    public const string PutShutdown = "put_shutdown";
    public const string DeleteShutdown = "delete_shutdown";

    /// <summary>Changes nothing: answers with the master's current state, so a node can wait until it has applied every change committed before.</summary>
    public const string Sync = "sync";

    /// <summary>Registers (or replaces) a snapshot repository: <see cref="Name"/>, <see cref="Type"/>, settings in <see cref="Persistent"/>.</summary>
    public const string PutRepository = "put_repository";
    public const string DeleteRepository = "delete_repository";
}
