using System.Collections.Immutable;

namespace Cloud.Shared.Allocators;

/// <summary>An allocator's ephemeral advertisement, <c>/cloud/allocators/&lt;allocator_id&gt;</c>.</summary>
public sealed record AllocatorRegistration
{
    public required string AllocatorId { get; init; }

    /// <summary>The address other hosts and the proxy reach this host's published ports on.</summary>
    public required string Host { get; init; }

    public required string Zone { get; init; }

    public required AllocatorCapacity Capacity { get; init; }

    public ImmutableSortedDictionary<string, string> Tags { get; init; } = ImmutableSortedDictionary<string, string>.Empty;

    public bool MaintenanceMode { get; init; }

    public ImmutableArray<string> Instances { get; init; } = [];

    public string? Version { get; init; }

    public DateTimeOffset StartedAt { get; init; }
}
