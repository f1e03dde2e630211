using System.Collections.Immutable;

namespace Cloud.Constructor.Clusters.Resources;

/// <summary><c>.../plan/activity</c>: the running attempt (null when none) and the finished ones, newest last (last 20).</summary>
public sealed record PlanActivity(PlanAttempt? Current, ImmutableArray<PlanAttempt> History);
