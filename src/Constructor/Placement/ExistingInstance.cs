namespace Cloud.Constructor.Placement;

/// <summary>
/// An instance the cluster runs now. <paramref name="Reusable"/> says it already matches its topology
/// element and may stay where it is; an instance that is not reusable is replaced (it still holds its
/// memory until the plan stops it, and its allocator may take its replacement only as a last resort).
/// </summary>
public sealed record ExistingInstance(string InstanceName, string AllocatorId, string Zone, long MemoryMb, int TopologyIndex, bool Reusable);
