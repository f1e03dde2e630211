using System.Collections.Immutable;

namespace Cloud.Constructor.Clusters;

/// <summary>One instance of a recorded plan: its name (never reused in the cluster) and where it runs.</summary>
public sealed record PlannedInstance
{
    public required string InstanceName { get; init; }

    public required string AllocatorId { get; init; }

    public required string Zone { get; init; }

    public required long MemoryMb { get; init; }

    public int TopologyIndex { get; init; }

    public ImmutableArray<string> NodeRoles { get; init; } = ["master", "data", "ingest"];

    public bool IsMasterEligible => NodeRoles.Contains("master");
}
