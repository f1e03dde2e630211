using System.Collections.Immutable;
using System.Globalization;

namespace Cloud.Allocator.Capacity;

/// <summary>
/// Exact memory accounting (pure). Assignments that already have a container definition are
/// charged first, then the rest, each group oldest first (by creation zxid), so a new assignment
/// can never push out one that runs. An assignment that would over-commit is refused and says why;
/// a running one whose resize does not fit keeps the size it runs with.
/// </summary>
internal static class CapacityPlanner
{
    public static CapacityPlan Plan(IEnumerable<CapacityRequest> requests, long totalMb)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var ordered = requests
            .OrderBy(r => r.InForceMemoryMb is null ? 1 : 0)
            .ThenBy(r => r.CreatedZxid)
            .ThenBy(r => r.InstanceId, StringComparer.Ordinal);
        var decisions = ImmutableSortedDictionary.CreateBuilder<string, CapacityDecision>(StringComparer.Ordinal);
        long used = 0;
        foreach (var request in ordered)
        {
            var free = totalMb - used;
            CapacityDecision decision;
            if (request.MemoryMb <= 0)
            {
                decision = new CapacityDecision(request.InstanceId, CapacityVerdict.Refused, 0,
                    string.Create(CultureInfo.InvariantCulture, $"memory_mb must be positive, got {request.MemoryMb}"));
            }
            else if (request.MemoryMb <= free)
            {
                decision = new CapacityDecision(request.InstanceId, CapacityVerdict.Accepted, request.MemoryMb);
            }
            else if (request.InForceMemoryMb is { } inForce && inForce > 0 && inForce <= free)
            {
                decision = new CapacityDecision(request.InstanceId, CapacityVerdict.KeptInForce, inForce,
                    string.Create(CultureInfo.InvariantCulture,
                        $"resize refused: needs {request.MemoryMb} MB but only {free} MB of {totalMb} MB are free; keeps running with {inForce} MB"));
            }
            else
            {
                decision = new CapacityDecision(request.InstanceId, CapacityVerdict.Refused, 0,
                    string.Create(CultureInfo.InvariantCulture, $"needs {request.MemoryMb} MB but only {Math.Max(0, free)} MB of {totalMb} MB are free"));
            }

            used += decision.ChargedMb;
            decisions[request.InstanceId] = decision;
        }

        return new CapacityPlan(decisions.ToImmutable(), totalMb, used);
    }
}
