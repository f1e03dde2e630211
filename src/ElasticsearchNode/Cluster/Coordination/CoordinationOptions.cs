using System.Collections.Immutable;

namespace Cloud.ElasticsearchNode.Cluster.Coordination;

/// <summary>
/// Discovery, election and fault-detection settings. The defaults notice a killed node within a few
/// seconds: a check every second, three misses in a row (or a refused connection) and it is out.
/// </summary>
internal sealed class CoordinationOptions
{
    public ImmutableArray<string> SeedHosts { get; set; } = [];

    /// <summary>The file seed provider's <c>unicast_hosts.txt</c>; re-read whenever it changes.</summary>
    public string? UnicastHostsFile { get; set; }

    public ImmutableArray<string> InitialMasterNodes { get; set; } = [];

    /// <summary>
    /// Bootstrap alone, as Elasticsearch does with <c>discovery.type: single-node</c> or when no
    /// discovery setting is given at all (development mode).
    /// </summary>
    public bool BootstrapAlone { get; set; }

    public TimeSpan FindPeersInterval { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan RequestPeersTimeout { get; set; } = TimeSpan.FromSeconds(3);

    public TimeSpan ElectionInitialTimeout { get; set; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan ElectionMaxTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often a follower checks its master.</summary>
    public TimeSpan FaultCheckInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the master checks each node (<c>cluster.fault_detection.follower_check.interval</c>).</summary>
    public TimeSpan FollowerCheckInterval { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan FaultCheckTimeout { get; set; } = TimeSpan.FromSeconds(3);

    public int FaultCheckRetryCount { get; set; } = 3;

    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
