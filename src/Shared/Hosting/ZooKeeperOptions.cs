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

    /// <summary>
    /// Digest credentials <c>user:password</c> the session authenticates with (an enrolled host's, from
    /// <c>deploy/install.sh</c>; the constructor's is ZooKeeper's super user). Empty: no identity, as before.
    /// With one, the role creates its own nodes (<see cref="Coordination.HostOwnedNodes"/>) writable by it alone.
    /// </summary>
    [RegularExpression("^[^:]+:.+$", ErrorMessage = "ZooKeeper:Digest must be 'user:password'.")]
    public string? Digest { get; set; }

    /// <summary>The user part of <see cref="Digest"/>, or null.</summary>
    public string? DigestUser => string.IsNullOrEmpty(Digest) ? null : Digest[..Digest.IndexOf(':', StringComparison.Ordinal)];
}
