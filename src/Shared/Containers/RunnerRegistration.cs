using System.Collections.Immutable;

namespace Cloud.Shared.Containers;

/// <summary>A runner's liveness node, <c>/cloud/runners/&lt;host_id&gt;</c> (ephemeral): who it is and what its host has.</summary>
public sealed record RunnerRegistration
{
    public required string HostId { get; init; }

    public string? DockerVersion { get; init; }

    public string? DockerApiVersion { get; init; }

    public string? Os { get; init; }

    public string? Kernel { get; init; }

    public int Cpus { get; init; }

    public long MemoryMb { get; init; }

    public string? DataRoot { get; init; }

    public string? RunnerVersion { get; init; }

    /// <summary>
    /// The image references present on the host (<c>repository:tag</c>), sorted; allocators refuse an
    /// assignment whose image is not among them. Null when the engine did not say (unknown, not empty).
    /// </summary>
    public ImmutableArray<string>? Images { get; init; }

    public DateTimeOffset StartedAt { get; init; }
}
