using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cloud.Shared.Containers;

/// <summary>
/// A desired container, in the Docker Engine API's own create-container shape (public contract,
/// DESIGN.md): the value of <c>/cloud/containers/&lt;host_id&gt;/&lt;container_name&gt;</c>.
/// Property names are Docker's PascalCase; serialize with <see cref="ContainerSpecJson"/>.
/// </summary>
public sealed record ContainerSpec
{
    public required string Image { get; init; }

    public ImmutableArray<string>? Entrypoint { get; init; }

    public ImmutableArray<string>? Cmd { get; init; }

    /// <summary><c>KEY=value</c> strings, as <c>docker run -e</c> takes them.</summary>
    public ImmutableArray<string>? Env { get; init; }

    public ImmutableSortedDictionary<string, string>? Labels { get; init; }

    /// <summary>Docker's <c>{"9200/tcp": {}}</c> shape.</summary>
    public ImmutableSortedDictionary<string, JsonElement>? ExposedPorts { get; init; }

    public string? WorkingDir { get; init; }

    public string? User { get; init; }

    public string? Hostname { get; init; }

    public string? Domainname { get; init; }

    public HostConfigSpec? HostConfig { get; init; }

    public string? StopSignal { get; init; }

    /// <summary>Seconds between the stop signal and the kill.</summary>
    public int? StopTimeout { get; init; }

    public HealthcheckSpec? Healthcheck { get; init; }

    /// <summary>Fields this platform does not model; kept so nothing a writer sent is silently dropped.</summary>
    /// <remarks>
    /// A setter, not <c>init</c>: the compile-time JSON description (<c>ContainerSpecJsonContext</c>, which the
    /// natively compiled agents use) cannot fill init-only extension data. Treat it as read-only all the same.
    /// </remarks>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unmodelled { get; set; }
}
