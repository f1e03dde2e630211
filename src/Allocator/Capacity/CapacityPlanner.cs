using System.Collections.Immutable;
using System.Globalization;

namespace Cloud.Allocator.Capacity;

/// <summary>
/// Exact memory accounting (pure). Assignments that already have a container definition are
/// charged first, then the rest, each group oldest first (by creation zxid), so a new assignment
/// can never push out one that runs. A new assignment that would over-commit is refused and says why;
/// a running one is never refused: when its resize (or, after the capacity shrank, its current size)
/// does not fit it keeps the size it runs with, and the plan shows the over-commit.
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
            if (request.Refusal is { } refusal)
            {
                // An assignment that can never start holds neither memory nor ports; one that runs keeps what it runs with.
                decision = request.InForceMemoryMb is { } running and > 0
                    ? new CapacityDecision(request.InstanceId, CapacityVerdict.KeptInForce, running, $"change refused: {refusal}; keeps running as it is")
                    : new CapacityDecision(request.InstanceId, CapacityVerdict.Refused, 0, refusal);
            }
            else if (request.MemoryMb <= 0)
            {
                decision = new CapacityDecision(request.InstanceId, CapacityVerdict.Refused, 0,
                    string.Create(CultureInfo.InvariantCulture, $"memory_mb must be positive, got {request.MemoryMb}"));
            }
            else if (request.MemoryMb <= free)
            {
                decision = new CapacityDecision(request.InstanceId, CapacityVerdict.Accepted, request.MemoryMb);
            }
            else if (request.InForceMemoryMb is { } inForce && inForce > 0)
            {
                // A running instance is never stopped for capacity: a resize that does not fit is not
                // applied, and a host whose capacity shrank below what runs reports itself over-committed.
                var reason = inForce <= free
                    ? $"resize refused: needs {request.MemoryMb} MB but only {free} MB of {totalMb} MB are free; keeps running with {inForce} MB"
                    : $"over capacity: needs {request.MemoryMb} MB but only {Math.Max(0, free)} MB of {totalMb} MB are free; keeps running with {inForce} MB until it is moved";
                decision = new CapacityDecision(request.InstanceId, CapacityVerdict.KeptInForce, inForce, string.Create(CultureInfo.InvariantCulture, $"{reason}"));
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
