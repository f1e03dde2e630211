namespace Cloud.Allocator.Configuration;

/// <summary>
/// The allocator's configuration, section <c>Allocator</c>. Bound as given, then validated by
/// <see cref="AllocatorOptionsValidator"/> and resolved into <see cref="ResolvedAllocatorOptions"/> on start.
/// </summary>
public sealed class AllocatorOptions
{
    public const string SectionName = "Allocator";

    /// <summary>This allocator's id; defaults to the host id (the machine name).</summary>
    public string? AllocatorId { get; set; }

    /// <summary>The runner's host id whose container definitions this allocator writes; defaults to <see cref="AllocatorId"/>.</summary>
    public string? HostId { get; set; }

    public string Zone { get; set; } = string.Empty;

    /// <summary>The address advertised to the platform and used as every instance's publish host.</summary>
    public string HostAddress { get; set; } = string.Empty;

    /// <summary>The host IP instance ports are published on.</summary>
    public string PortBindIp { get; set; } = "0.0.0.0";

    /// <summary>Where the allocator probes instances; defaults to <see cref="HostAddress"/> (or <see cref="PortBindIp"/> when that is specific).</summary>
    public string? ProbeAddress { get; set; }

    /// <summary>Memory offered to instances; 0 detects it from <c>/proc/meminfo</c> minus <see cref="MemoryReserveMb"/>.</summary>
    public long MemoryCapacityMb { get; set; }

    /// <summary>Memory kept back for the host itself when the capacity is detected.</summary>
    public long MemoryReserveMb { get; set; } = 2048;

    /// <summary>Tags advertised to the constructor's placement (allocator filters); operator tags from the meta node are merged over them.</summary>
    public Dictionary<string, string> Tags { get; set; } = [];

    /// <summary>The runner's data root on this host: instance directories live below it so the runner accepts their bind mounts.</summary>
    public string DataRoot { get; set; } = "/var/lib/cloud";

    /// <summary>Host ports instances are published on, <c>first-last</c>.</summary>
    public string PortRange { get; set; } = "20000-29999";

    /// <summary>The image for a plan's version; <c>{version}</c> is replaced.</summary>
    public string ImageTemplate { get; set; } = "docker.elastic.co/elasticsearch/elasticsearch:{version}";

    public int StopTimeoutSeconds { get; set; } = 60;

    /// <summary>How often instances are probed and their status refreshed, and the longest a missed watch can delay a pass.</summary>
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The user and group instance data directories are handed to when the allocator runs as root (the official image runs as 1000:0).</summary>
    public int InstanceUid { get; set; } = 1000;

    public int InstanceGid { get; set; }
}
