using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cloud.Shared.Containers;

/// <summary>Docker's <c>HostConfig</c>: what the host grants the container.</summary>
public sealed record HostConfigSpec
{
    /// <summary><c>{"9200/tcp": [{"HostIp": "0.0.0.0", "HostPort": "19200"}]}</c>.</summary>
    public ImmutableSortedDictionary<string, ImmutableArray<PortBindingSpec>>? PortBindings { get; init; }

    /// <summary><c>/host/path:/container/path[:ro]</c>.</summary>
    public ImmutableArray<string>? Binds { get; init; }

    /// <summary>Memory limit in bytes.</summary>
    public long? Memory { get; init; }

    public long? MemorySwap { get; init; }

    public long? NanoCpus { get; init; }

    public long? CpuShares { get; init; }

    public long? CpuQuota { get; init; }

    public long? CpuPeriod { get; init; }

    public RestartPolicySpec? RestartPolicy { get; init; }

    // Refused by the runner: a hosted Elasticsearch is assumed compromised (DESIGN.md).
    public bool? Privileged { get; init; }

    public string? NetworkMode { get; init; }

    public ImmutableArray<string>? CapAdd { get; init; }

    public ImmutableArray<string>? CapDrop { get; init; }

    /// <summary>Docker's <c>[{"Name": "nofile", "Soft": 65535, "Hard": 65535}]</c> shape.</summary>
    public ImmutableArray<UlimitSpec>? Ulimits { get; init; }

    // Harmless docker-run settings, passed on as they are (checked by the runner's validator).

    /// <summary>Size of <c>/dev/shm</c> in bytes.</summary>
    public long? ShmSize { get; init; }

    public LogConfigSpec? LogConfig { get; init; }

    /// <summary>Container path to tmpfs mount options, as <c>docker run --tmpfs /run:size=64m</c>.</summary>
    public ImmutableSortedDictionary<string, string>? Tmpfs { get; init; }

    /// <summary>Run an init process (tini) as PID 1.</summary>
    public bool? Init { get; init; }

    public int? OomScoreAdj { get; init; }

    public long? PidsLimit { get; init; }

    public long? MemoryReservation { get; init; }

    public bool? ReadonlyRootfs { get; init; }

    public ImmutableArray<string>? Dns { get; init; }

    public ImmutableArray<string>? DnsOptions { get; init; }

    public ImmutableArray<string>? DnsSearch { get; init; }

    /// <summary><c>hostname:IP</c> lines added to the container's <c>/etc/hosts</c>.</summary>
    public ImmutableArray<string>? ExtraHosts { get; init; }

    /// <summary>Fields this platform does not model; kept so nothing a writer sent is silently dropped.</summary>
    /// <remarks>
    /// A setter, not <c>init</c>: the compile-time JSON description (<c>ContainerSpecJsonContext</c>, which the
    /// natively compiled agents use) cannot fill init-only extension data. Treat it as read-only all the same.
    /// </remarks>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unmodelled { get; set; }
}
