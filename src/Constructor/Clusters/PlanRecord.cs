using System.Collections.Immutable;
using Cloud.Constructor.Plans;

namespace Cloud.Constructor.Clusters;

/// <summary>
/// A plan as the constructor recorded it: the user's spec plus the placement decided when it was
/// accepted, so that whoever executes or resumes it starts exactly these instances and no others.
/// </summary>
public sealed record PlanRecord
{
    public required string PlanId { get; init; }

    public string Kind { get; init; } = PlanKinds.Change;

    public required PlanSpec Plan { get; init; }

    /// <summary>The instances the cluster has once the plan is done.</summary>
    public ImmutableArray<PlannedInstance> Instances { get; init; } = [];

    /// <summary>Who asked: <c>api:&lt;key name&gt;</c>, <c>vacate:&lt;allocator&gt;</c>, <c>remediation:&lt;allocator&gt;</c>.</summary>
    public string Source { get; init; } = "api";

    public DateTimeOffset SubmittedAt { get; init; }

    /// <summary>The strategy the plan runs with (resolved from <c>autodetect</c> when accepted).</summary>
    public string Strategy { get; init; } = PlanStrategies.GrowAndShrink;

    /// <summary>1, or 2 for the version phase of a two-phase plan.</summary>
    public int Phase { get; init; } = 1;

    /// <summary>For a two-phase plan's first phase: the version the second phase moves to.</summary>
    public string? NextPhaseVersion { get; init; }

    public bool CancelRequested { get; init; }

    /// <summary>For history entries: <c>success</c>, <c>error</c> or <c>cancelled</c>.</summary>
    public string? Outcome { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    public long? TimeoutSeconds { get; init; }
}
