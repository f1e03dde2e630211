using System.Collections.Immutable;

namespace Cloud.Allocator.Ports;

/// <summary>
/// This allocator's port reservations as stored at <c>/cloud/allocators-ports/&lt;allocator_id&gt;</c> (version
/// for compare-and-swap, -1 when the node does not exist yet), and every port other allocators hold.
/// </summary>
internal sealed record PortReservations(ImmutableSortedDictionary<string, InstancePorts> Own, int Version, ImmutableHashSet<int> HeldByOthers);
