using System.Collections.Immutable;

namespace Cloud.Allocator.Ports;

/// <summary>
/// Decides which host ports each instance gets (pure). Instances keep the ports they have, so a
/// restart or a new neighbour never moves a running node; instances no longer wanted give theirs
/// back; new instances take the lowest free ports of the range, in instance-id order.
/// </summary>
internal static class PortAllocator
{
    /// <param name="current">The ports reserved so far (persisted).</param>
    /// <param name="wanted">The instances that need ports now.</param>
    /// <param name="range">The ports this allocator may hand out.</param>
    /// <param name="isUnavailable">
    /// True for a port someone else holds: reserved by another allocator on the machine, or bound by
    /// any process. Only asked about ports being newly handed out.
    /// </param>
    public static PortAllocation Allocate(
        ImmutableSortedDictionary<string, InstancePorts> current,
        IEnumerable<string> wanted,
        PortRange range,
        Func<int, bool> isUnavailable)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(wanted);
        ArgumentNullException.ThrowIfNull(isUnavailable);
        var wantedIds = wanted.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var result = ImmutableSortedDictionary.CreateBuilder<string, InstancePorts>(StringComparer.Ordinal);
        var taken = new HashSet<int>();
        foreach (var id in wantedIds)
        {
            if (current.TryGetValue(id, out var kept) && kept.Http != kept.Transport && !taken.Contains(kept.Http) && !taken.Contains(kept.Transport))
            {
                taken.Add(kept.Http);
                taken.Add(kept.Transport);
                result[id] = kept;
            }
        }

        var exhausted = ImmutableArray.CreateBuilder<string>();
        var next = range.First;
        foreach (var id in wantedIds.Where(id => !result.ContainsKey(id)))
        {
            var http = NextFree(ref next, range, taken, isUnavailable);
            var transport = http is null ? null : NextFree(ref next, range, taken, isUnavailable);
            if (http is null || transport is null)
            {
                exhausted.Add(id);
                continue;
            }

            result[id] = new InstancePorts(http.Value, transport.Value);
        }

        return new PortAllocation(result.ToImmutable(), exhausted.ToImmutable());
    }

    private static int? NextFree(ref int next, PortRange range, HashSet<int> taken, Func<int, bool> isUnavailable)
    {
        for (; next <= range.Last; next++)
        {
            if (!taken.Contains(next) && !isUnavailable(next))
            {
                taken.Add(next);
                return next++;
            }
        }

        return null;
    }
}
