using System.Collections.Immutable;

namespace Cloud.Constructor.Placement;

/// <summary>
/// The allocators numbered and grouped by zone once, plus the memory placements committed against them,
/// so that many clusters can be placed one after the other (re-planning after a zone is lost) without
/// regrouping the fleet for each; numbers instead of id strings keep the per-allocator checks cheap.
/// Not thread-safe: one planner uses it at a time.
/// </summary>
public sealed class PlacementIndex
{
    public PlacementIndex(ImmutableArray<AllocatorCandidate> allocators)
    {
        All = [.. allocators];
        Committed = new long[All.Length];
        NumberOf = new Dictionary<string, int>(All.Length, StringComparer.Ordinal);
        var byZone = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < All.Length; i++)
        {
            NumberOf[All[i].AllocatorId] = i;
            if (!byZone.TryGetValue(All[i].Zone, out var list))
            {
                byZone[All[i].Zone] = list = [];
            }

            list.Add(i);
        }

        ByZone = byZone.ToDictionary(z => z.Key, z => z.Value.ToArray(), StringComparer.Ordinal);
        Zones = [.. ByZone.Keys.Order(StringComparer.Ordinal)];
    }

    internal AllocatorCandidate[] All { get; }

    internal Dictionary<string, int> NumberOf { get; }

    internal Dictionary<string, int[]> ByZone { get; }

    internal IReadOnlyList<string> Zones { get; }

    /// <summary>Memory committed by earlier placements through this index, by allocator number.</summary>
    internal long[] Committed { get; }

    /// <summary>Charges the new instances of a placement to their allocators for the placements that follow.</summary>
    public void Commit(PlacementResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        foreach (var instance in result.Instances.Where(i => i.IsNew))
        {
            if (NumberOf.TryGetValue(instance.AllocatorId, out var number))
            {
                Committed[number] += instance.MemoryMb;
            }
        }
    }
}
