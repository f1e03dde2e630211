using System.Collections.Immutable;

namespace Cloud.Allocator.Capacity;

/// <summary>
/// Capacity accounting of every assignment at once. <see cref="UsedMb"/> exceeds <see cref="TotalMb"/> only when
/// the capacity shrank below what already runs (nothing running is stopped for it).
/// </summary>
internal sealed record CapacityPlan(ImmutableSortedDictionary<string, CapacityDecision> Decisions, long TotalMb, long UsedMb)
{
    public long FreeMb => Math.Max(0, TotalMb - UsedMb);

    public CapacityDecision For(string instanceId) => Decisions[instanceId];
}
