using System.Collections.Immutable;
using Cloud.Constructor.Placement;

namespace Cloud.Constructor.Infrastructure;

/// <summary>An allocator as the API lists it: its registration (if connected) merged with its operator meta.</summary>
public sealed record AllocatorView
{
    public required string AllocatorId { get; init; }

    public string? Host { get; init; }

    public string? Zone { get; init; }

    public required AllocatorCapacityView Capacity { get; init; }

    public ImmutableSortedDictionary<string, string> Tags { get; init; } = ImmutableSortedDictionary<string, string>.Empty;

    public bool MaintenanceMode { get; init; }

    public bool Connected { get; init; }

    /// <summary>Instance ids assigned to it (<c>&lt;cluster_id&gt;-&lt;instance_name&gt;</c>).</summary>
    public ImmutableArray<string> Instances { get; init; } = [];

    public AllocatorCandidate ToCandidate() =>
        new(AllocatorId, Zone ?? string.Empty, Capacity.Memory.TotalMb, Capacity.Memory.UsedMb, Tags, MaintenanceMode, Connected && Zone is not null);
}
