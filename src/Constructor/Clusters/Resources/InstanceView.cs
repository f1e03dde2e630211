namespace Cloud.Constructor.Clusters.Resources;

/// <summary>One entry of <c>topology.instances[]</c>.</summary>
public sealed record InstanceView
{
    public required string InstanceName { get; init; }

    public required string AllocatorId { get; init; }

    public required string Zone { get; init; }

    public long MemoryMb { get; init; }

    /// <summary>The runner's state as the allocator reports it; <c>unknown</c> when its allocator is gone, <c>pending</c> before any report.</summary>
    public required string ContainerState { get; init; }

    public bool Routable { get; init; }

    public bool MaintenanceMode { get; init; }

    public required string ServiceVersion { get; init; }

    public bool Healthy { get; init; }

    public bool AllocatorConnected { get; init; }

    public string? Host { get; init; }

    public int? HttpPort { get; init; }
}
