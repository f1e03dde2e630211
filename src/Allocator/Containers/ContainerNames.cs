using System.Security.Cryptography;
using System.Text;
using Cloud.Shared.Coordination;

namespace Cloud.Allocator.Containers;

/// <summary>
/// The deterministic container name of an instance, <c>es-&lt;cluster_id&gt;-&lt;instance_name&gt;</c>: the same on
/// every pass and every restart, and unique on a machine shared by several hosts (a cluster has
/// one instance of each name).
/// </summary>
internal static class ContainerNames
{
    public const string Prefix = "es-";
    private const int MaxLength = 128;

    public static string For(string clusterId, string instanceName)
    {
        ArgumentException.ThrowIfNullOrEmpty(clusterId);
        ArgumentException.ThrowIfNullOrEmpty(instanceName);
        var name = $"{Prefix}{clusterId}-{instanceName}".ToLowerInvariant();
        if (name.Length > MaxLength)
        {
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..12];
            name = $"{name[..(MaxLength - hash.Length - 1)]}-{hash}";
        }

        NodeNames.EnsureValid(name, "container name");
        return name;
    }
}
