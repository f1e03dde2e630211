using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace Cloud.Constructor.Clusters.Resources;

/// <summary><c>plan_info</c>: the current plan, the pending one (null when none) and the finished ones.</summary>
public sealed record PlanInfo
{
    public PlanRecord? Current { get; init; }

    /// <summary>Written even when null.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public PlanRecord? Pending { get; init; }

    public ImmutableArray<PlanRecord> History { get; init; } = [];
}
