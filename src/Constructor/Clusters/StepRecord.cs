using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace Cloud.Constructor.Clusters;

/// <summary>
/// One step of a plan attempt, as the activity endpoint shows it. Every field is always written (null until
/// known), so a step not yet run still shows the whole shape DESIGN.md promises.
/// </summary>
public sealed record StepRecord
{
    public required string StepId { get; init; }

    /// <summary>See <see cref="StepStatuses"/>.</summary>
    public string Status { get; init; } = StepStatuses.Pending;

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public DateTimeOffset? Started { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public DateTimeOffset? Completed { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public long? DurationMs { get; init; }

    public ImmutableArray<string> InfoLog { get; init; } = [];
}
