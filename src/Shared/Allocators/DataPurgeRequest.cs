using System.Collections.Immutable;

namespace Cloud.Shared.Allocators;

/// <summary>
/// <c>/cloud/allocators-purge/&lt;allocator_id&gt;/&lt;cluster_id&gt;</c> (persistent): the cluster was deleted, so
/// the allocator removes the data directories it keeps for these instances of it, then deletes the node.
/// Names, not paths: the allocator builds every path itself, under its own data root, and checks each
/// name; an instance still assigned to it is never purged.
/// </summary>
public sealed record DataPurgeRequest
{
    /// <summary>Must equal the node's name.</summary>
    public required string ClusterId { get; init; }

    /// <summary>Every instance name the cluster ever had (names are never reused in a cluster).</summary>
    public ImmutableArray<string> Instances { get; init; } = [];

    public DateTimeOffset RequestedAt { get; init; }
}
