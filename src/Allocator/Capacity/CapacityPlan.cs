using System.Collections.Immutable;

namespace Cloud.Allocator.Capacity;

/// <summary>Capacity accounting of every assignment at once; <see cref="UsedMb"/> never exceeds <see cref="TotalMb"/>.</summary>
internal sealed record CapacityPlan(ImmutableSortedDictionary<string, CapacityDecision> Decisions, long TotalMb, long UsedMb)
{
    public long FreeMb => TotalMb - UsedMb;

    public CapacityDecision For(string instanceId) => Decisions[instanceId];
}
