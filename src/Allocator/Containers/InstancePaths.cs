namespace Cloud.Allocator.Containers;

/// <summary>
/// Where an instance keeps its files on the host, below the runner's data root so the runner accepts
/// the bind mounts: <c>&lt;data_root&gt;/&lt;allocator_id&gt;/&lt;instance_id&gt;/data</c> survives every container
/// recreation on this host, and <c>unicast_hosts.txt</c> beside it feeds file-based discovery.
/// </summary>
internal sealed record InstancePaths(string InstanceDirectory)
{
    public const string ContainerDataPath = "/usr/share/elasticsearch/data";
    public const string ContainerUnicastHostsPath = "/usr/share/elasticsearch/config/unicast_hosts.txt";

    public string DataDirectory => Path.Combine(InstanceDirectory, "data");

    public string UnicastHostsFile => Path.Combine(InstanceDirectory, "unicast_hosts.txt");

    public static InstancePaths For(string dataRoot, string allocatorId, string instanceId) =>
        new(Path.Combine(dataRoot, allocatorId, instanceId));
}
