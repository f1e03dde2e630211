namespace Cloud.Shared.Allocators;

/// <summary>
/// How an assigned instance is doing, as its allocator sees it, <c>/cloud/instances/&lt;cluster_id&gt;/&lt;instance_name&gt;</c>:
/// the runner's container state plus an HTTP probe of the node. The constructor plans on it,
/// and other allocators read the transport addresses to seed discovery.
/// </summary>
public sealed record InstanceStatus
{
    public required string ClusterId { get; init; }

    public required string InstanceName { get; init; }

    public required string AllocatorId { get; init; }

    public required string Zone { get; init; }

    public required string Host { get; init; }

    public int HttpPort { get; init; }

    public int TransportPort { get; init; }

    public required string ContainerState { get; init; }

    public string? ContainerHealth { get; init; }

    public string? Error { get; init; }

    public NodeProbe? Probe { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }
}
