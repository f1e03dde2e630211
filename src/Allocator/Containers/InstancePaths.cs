namespace Cloud.Allocator.Containers;

/// <summary>
/// Where an instance keeps its files on the host, below the runner's data root so the runner accepts
/// the bind mounts: <c>&lt;data_root&gt;/&lt;allocator_id&gt;/&lt;instance_id&gt;/data</c> survives every container
/// recreation on this host, and <c>unicast_hosts.txt</c> beside it feeds file-based discovery.
/// Every instance of a cluster on this host binds one <c>&lt;data_root&gt;/snapshots/&lt;cluster_id&gt;</c> as
/// its <c>path.repo</c>, so an <c>fs</c> snapshot repository written by one node is readable by all.
/// </summary>
internal sealed record InstancePaths(string InstanceDirectory, string SnapshotRepository)
{
    public const string ContainerDataPath = "/usr/share/elasticsearch/data";
    public const string ContainerUnicastHostsPath = "/usr/share/elasticsearch/config/unicast_hosts.txt";
    public const string ContainerSnapshotsPath = "/usr/share/elasticsearch/snapshots";

    public string DataDirectory => Path.Combine(InstanceDirectory, "data");

    public string UnicastHostsFile => Path.Combine(InstanceDirectory, "unicast_hosts.txt");

    public static InstancePaths For(string dataRoot, string allocatorId, string instanceId, string clusterId) =>
        new(Path.Combine(dataRoot, allocatorId, instanceId), Path.Combine(dataRoot, "snapshots", clusterId));
}
