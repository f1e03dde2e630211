using System.Collections.Immutable;
using System.Net;
using Cloud.Allocator.Ports;

namespace Cloud.Allocator.Configuration;

/// <summary>
/// The allocator's <see cref="AllocatorOptions"/> after validation, with defaults and detected values resolved
/// ("options" is always our configuration; "settings" always Elasticsearch's, as in <c>ElasticsearchSettings</c>):
/// immutable, so every part of a reconcile pass sees the same values.
/// </summary>
internal sealed record ResolvedAllocatorOptions
{
    public required string AllocatorId { get; init; }

    public required string HostId { get; init; }

    public required string Zone { get; init; }

    public required string HostAddress { get; init; }

    /// <summary>Which machine's host ports this allocator shares: the node its port reservations live under.</summary>
    public string MachineKey => Cloud.Shared.Coordination.MachineKey.For(HostAddress);

    public required string PortBindIp { get; init; }

    public required string ProbeAddress { get; init; }

    public required long MemoryCapacityMb { get; init; }

    public ImmutableSortedDictionary<string, string> Tags { get; init; } = ImmutableSortedDictionary<string, string>.Empty;

    public required string DataRoot { get; init; }

    public required PortRange PortRange { get; init; }

    public required string ImageTemplate { get; init; }

    public int StopTimeoutSeconds { get; init; } = 60;

    public TimeSpan ProbeInterval { get; init; } = TimeSpan.FromSeconds(5);

    public TimeSpan ProbeTimeout { get; init; } = TimeSpan.FromSeconds(2);

    public int InstanceUid { get; init; } = 1000;

    public int InstanceGid { get; init; }

    public string? Version { get; init; }

    /// <summary>Resolves validated options: ids default to the machine's name, capacity to what the host has.</summary>
    public static ResolvedAllocatorOptions Resolve(AllocatorOptions options, Func<long> detectMemoryMb)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(detectMemoryMb);
        var allocatorId = options.AllocatorId ?? Environment.MachineName.ToLowerInvariant();
        var bindIp = IPAddress.Parse(options.PortBindIp);
        var probeAddress = options.ProbeAddress
            ?? (IPAddress.Any.Equals(bindIp) || IPAddress.IPv6Any.Equals(bindIp) ? options.HostAddress : options.PortBindIp);
        return new ResolvedAllocatorOptions
        {
            AllocatorId = allocatorId,
            HostId = options.HostId ?? allocatorId,
            Zone = options.Zone,
            HostAddress = options.HostAddress,
            PortBindIp = options.PortBindIp,
            ProbeAddress = probeAddress,
            MemoryCapacityMb = options.MemoryCapacityMb > 0 ? options.MemoryCapacityMb : Math.Max(0, detectMemoryMb() - options.MemoryReserveMb),
            Tags = options.Tags.ToImmutableSortedDictionary(StringComparer.Ordinal),
            DataRoot = Path.TrimEndingDirectorySeparator(options.DataRoot),
            PortRange = PortRange.TryParse(options.PortRange, out var range) ? range.Value : throw new ArgumentException("invalid port range", nameof(options)),
            ImageTemplate = options.ImageTemplate,
            StopTimeoutSeconds = options.StopTimeoutSeconds,
            ProbeInterval = options.ProbeInterval,
            ProbeTimeout = options.ProbeTimeout,
            InstanceUid = options.InstanceUid,
            InstanceGid = options.InstanceGid,
            Version = typeof(ResolvedAllocatorOptions).Assembly.GetName().Version?.ToString(),
        };
    }
}
