using System.Globalization;

namespace Cloud.Testing;

/// <summary>
/// How a simulated host's two agents, its runner and its allocator, are started as real role processes:
/// one host id (the runner's host and the allocator's id), one data root both agree on, the zone the
/// allocator advertises and the ports it publishes instances on. The values every test platform shares
/// are the defaults here; a platform overrides the few it tunes.
/// </summary>
public sealed record HostAgentSettings(string ConnectString, string HostId, string Zone, string DataRoot, int FirstPort, int PortCount = 100)
{
    /// <summary>Short, so a killed agent's ephemeral nodes go soon; long enough for a loaded machine's pauses.</summary>
    public int SessionTimeoutSeconds { get; init; } = 4;

    /// <summary>What the allocator advertises; containers use far less, so tests may place many instances.</summary>
    public int MemoryCapacityMb { get; init; } = 4096;

    /// <summary>The docker bridge's gateway: containers and the host both reach published ports there.</summary>
    public string HostAddress { get; init; } = DockerBridge.GatewayAddress;

    /// <summary>The address ports are published on; null keeps the allocator's default (all addresses).</summary>
    public string? PortBindIp { get; init; }

    public int StopTimeoutSeconds { get; init; } = 10;

    public TimeSpan ProbeInterval { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan? ProbeTimeout { get; init; }

    /// <summary>The Docker label the runner puts on every container it owns.</summary>
    public string ContainerLabel => "cloud.runner.host=" + HostId;

    public string PortRange => string.Create(CultureInfo.InvariantCulture, $"{FirstPort}-{FirstPort + PortCount - 1}");

    public Dictionary<string, string> Runner() => new()
    {
        ["ZooKeeper:ConnectString"] = ConnectString,
        ["ZooKeeper:SessionTimeoutSeconds"] = Invariant(SessionTimeoutSeconds),
        ["Runner:HostId"] = HostId,
        ["Runner:DataRoot"] = DataRoot,
    };

    public Dictionary<string, string> Allocator()
    {
        var settings = new Dictionary<string, string>
        {
            ["ZooKeeper:ConnectString"] = ConnectString,
            ["ZooKeeper:SessionTimeoutSeconds"] = Invariant(SessionTimeoutSeconds),
            ["Allocator:AllocatorId"] = HostId,
            ["Allocator:Zone"] = Zone,
            ["Allocator:HostAddress"] = HostAddress,
            ["Allocator:DataRoot"] = DataRoot,
            ["Allocator:MemoryCapacityMb"] = Invariant(MemoryCapacityMb),
            ["Allocator:ImageTemplate"] = "cloud/elasticsearch:{version}",
            ["Allocator:PortRange"] = PortRange,
            ["Allocator:ProbeInterval"] = ProbeInterval.ToString("c", CultureInfo.InvariantCulture),
            ["Allocator:StopTimeoutSeconds"] = Invariant(StopTimeoutSeconds),
        };
        if (PortBindIp is not null)
        {
            settings["Allocator:PortBindIp"] = PortBindIp;
        }

        if (ProbeTimeout is { } timeout)
        {
            settings["Allocator:ProbeTimeout"] = timeout.ToString("c", CultureInfo.InvariantCulture);
        }

        return settings;
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
