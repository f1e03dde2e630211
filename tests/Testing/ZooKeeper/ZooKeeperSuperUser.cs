using System.Security.Cryptography;
using System.Text;

namespace Cloud.Testing;

/// <summary>
/// ZooKeeper's super user for a test server (the constructor's identity when hosts enroll): pass
/// <see cref="SystemProperty"/> to <see cref="ZooKeeperServer.StartAsync(IReadOnlyList{string}, CancellationToken)"/>
/// and <see cref="Digest"/> as the constructor's <c>ZooKeeper:Digest</c>.
/// </summary>
public sealed class ZooKeeperSuperUser
{
    public ZooKeeperSuperUser()
    {
        Password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
    }

    public string Password { get; }

    /// <summary><c>super:password</c>.</summary>
    public string Digest => "super:" + Password;

    public string SystemProperty
    {
        get
        {
#pragma warning disable CA5350 // ZooKeeper's digest scheme is defined with SHA1.
            var hash = SHA1.HashData(Encoding.UTF8.GetBytes(Digest));
#pragma warning restore CA5350
            return $"-Dzookeeper.DigestAuthenticationProvider.superDigest=super:{Convert.ToBase64String(hash)}";
        }
    }
}
