using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace Cloud.Constructor.Clusters.Resources;

/// <summary><c>.../plan/activity</c>: the running attempt (null when none) and the finished ones, newest last (last 20).</summary>
public sealed record PlanActivity(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] PlanAttempt? Current,
    ImmutableArray<PlanAttempt> History);
