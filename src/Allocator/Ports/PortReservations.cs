using System.Collections.Immutable;

namespace Cloud.Allocator.Ports;

/// <summary>
/// This allocator's port reservations as stored at <c>/cloud/allocators-ports/&lt;machine&gt;/&lt;allocator_id&gt;</c> (version
/// for compare-and-swap, -1 when the node does not exist yet), and every port other allocators on the same machine hold, with
/// the lowest id of the allocators holding it.
/// </summary>
internal sealed record PortReservations(ImmutableSortedDictionary<string, InstancePorts> Own, int Version, ImmutableDictionary<int, string> HeldByOthers);
