using System.Collections.Immutable;

namespace Cloud.Shared.Allocators;

/// <summary>
/// Operator decisions about an allocator, <c>/cloud/allocators-meta/&lt;allocator_id&gt;</c> (persistent),
/// so they outlive the allocator's process and session.
/// </summary>
public sealed record AllocatorMeta
{
    public bool MaintenanceMode { get; init; }

    public ImmutableSortedDictionary<string, string> Tags { get; init; } = ImmutableSortedDictionary<string, string>.Empty;
}
