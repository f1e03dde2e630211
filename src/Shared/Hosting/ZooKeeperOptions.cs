using System.ComponentModel.DataAnnotations;

namespace Cloud.Shared.Hosting;

/// <summary>Where a role finds ZooKeeper (configuration section <c>ZooKeeper</c>).</summary>
public sealed class ZooKeeperOptions
{
    public const string Section = "ZooKeeper";

    /// <summary><c>host:port[,host:port...][/chroot]</c>.</summary>
    [Required]
    public string ConnectString { get; set; } = "127.0.0.1:2181";

    [Range(1, 600)]
    public int SessionTimeoutSeconds { get; set; } = 10;

    [Range(1, 600)]
    public int RequestTimeoutSeconds { get; set; } = 15;
}
