using System.Collections.Immutable;

namespace Cloud.Allocator.Ports;

/// <summary>
/// The outcome of <see cref="PortAllocator.Allocate"/>: every wanted instance's ports, and the
/// instances the range had no room for.
/// </summary>
internal sealed record PortAllocation(ImmutableSortedDictionary<string, InstancePorts> Ports, ImmutableArray<string> Exhausted)
{
    public bool Changed(ImmutableSortedDictionary<string, InstancePorts> before) =>
        Ports.Count != before.Count || Ports.Any(p => !before.TryGetValue(p.Key, out var old) || old != p.Value);
}
