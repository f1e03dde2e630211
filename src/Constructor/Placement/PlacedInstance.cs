namespace Cloud.Constructor.Placement;

/// <summary>One instance of the placed plan: kept (<see cref="IsNew"/> false) or to be started.</summary>
public sealed record PlacedInstance(string InstanceName, string AllocatorId, string Zone, long MemoryMb, int TopologyIndex, bool IsNew);
