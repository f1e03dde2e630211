using System.Collections.Immutable;

namespace Cloud.Runner.Docker;

/// <summary>One container as the local engine reports it, in the runner's own terms (no Docker types).</summary>
internal sealed record RuntimeContainerState
{
    public required string Id { get; init; }

    /// <summary>The container's name without Docker's leading slash.</summary>
    public required string Name { get; init; }

    /// <summary>The <see cref="OwnerLabels.HostId"/> label; null for containers no runner created.</summary>
    public string? OwnerHostId { get; init; }

    /// <summary>The <see cref="OwnerLabels.DefinitionHash"/> label.</summary>
    public string? DefinitionHash { get; init; }

    /// <summary>Docker's status: <c>created</c>, <c>running</c>, <c>restarting</c>, <c>paused</c>, <c>removing</c>, <c>exited</c>, <c>dead</c>.</summary>
    public required string Status { get; init; }

    /// <summary><c>healthy</c>, <c>unhealthy</c>, <c>starting</c>, or <c>none</c> without a health check.</summary>
    public string Health { get; init; } = "none";

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    public int? ExitCode { get; init; }

    /// <summary>Restarts Docker's own restart policy made since the container was last started by hand.</summary>
    public int RestartCount { get; init; }

    public bool OomKilled { get; init; }

    public string? Image { get; init; }

    /// <summary>Container port (<c>9200/tcp</c>) to the host port it is published on.</summary>
    public ImmutableSortedDictionary<string, int> Ports { get; init; } = ImmutableSortedDictionary<string, int>.Empty;

    public bool IsRunning => Status is "running" or "restarting" or "paused";
}
