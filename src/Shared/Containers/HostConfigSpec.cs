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

    public ImmutableSortedDictionary<string, JsonElement>? Ulimits { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unmodelled { get; init; }
}
