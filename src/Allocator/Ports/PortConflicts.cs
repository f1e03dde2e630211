using System.Collections.Immutable;

namespace Cloud.Allocator.Ports;

/// <summary>
/// Settles ports two allocators on one machine reserved at the same moment (each read the other's
/// reservations before either wrote): the allocator with the lower id keeps the port, the other gives
/// up that instance's reservation so the next allocation picks fresh ports (pure).
/// </summary>
internal static class PortConflicts
{
    public static ImmutableSortedDictionary<string, InstancePorts> Resolve(
        ImmutableSortedDictionary<string, InstancePorts> own, IReadOnlyDictionary<int, string> heldByOthers, string selfId)
    {
        ArgumentNullException.ThrowIfNull(own);
        ArgumentNullException.ThrowIfNull(heldByOthers);
        return own.RemoveRange(own
            .Where(entry => Loses(entry.Value.Http) || Loses(entry.Value.Transport))
            .Select(entry => entry.Key)
            .ToList());

        bool Loses(int port) => heldByOthers.TryGetValue(port, out var holder) && string.CompareOrdinal(holder, selfId) < 0;
    }
}
