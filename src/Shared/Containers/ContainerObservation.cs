using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace Cloud.Shared.Containers;

/// <summary>
/// What a runner observes of one container, written to <c>/cloud/inspect/&lt;host_id&gt;/&lt;name&gt;</c>
/// (public contract: state, health, started_at, exit_code, restart_count, definition_hash, error).
/// The contract fields are always written, as <c>null</c> when unknown, so readers can rely on every key.
/// </summary>
public sealed record ContainerObservation
{
    /// <summary>Docker's state (<c>created</c>, <c>running</c>, <c>exited</c>...), <c>missing</c> or <c>refused</c>.</summary>
    public required string State { get; init; }

    /// <summary><c>healthy</c>, <c>unhealthy</c>, <c>starting</c>, or <c>none</c> without a health check.</summary>
    public string Health { get; init; } = "none";

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public DateTimeOffset? StartedAt { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public int? ExitCode { get; init; }

    public int RestartCount { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? DefinitionHash { get; init; }

    /// <summary>Why a definition was refused or failed; null when all is well.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Error { get; init; }

    /// <summary>Container port (<c>9200/tcp</c>) to the host port it is published on.</summary>
    public ImmutableSortedDictionary<string, int>? Ports { get; init; }

    public string? ContainerId { get; init; }

    public string? Image { get; init; }

    public DateTimeOffset ObservedAt { get; init; }
}
