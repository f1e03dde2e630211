using System.Collections.Immutable;

namespace Cloud.Constructor.Clusters;

/// <summary>One step of a plan attempt, as the activity endpoint shows it.</summary>
public sealed record StepRecord
{
    public required string StepId { get; init; }

    /// <summary>See <see cref="StepStatuses"/>.</summary>
    public string Status { get; init; } = StepStatuses.Pending;

    public DateTimeOffset? Started { get; init; }

    public DateTimeOffset? Completed { get; init; }

    public long? DurationMs { get; init; }

    public ImmutableArray<string> InfoLog { get; init; } = [];
}
