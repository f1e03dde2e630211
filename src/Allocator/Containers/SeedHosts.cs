using System.Collections.Immutable;
using System.Globalization;
using Cloud.Allocator.Status;
using Cloud.Shared.Allocators;
using Cloud.Shared.Containers;

namespace Cloud.Allocator.Containers;

/// <summary>Where an instance finds the rest of its cluster: the transport addresses its allocators published.</summary>
internal static class SeedHosts
{
    /// <summary><c>host:transport_port</c> of every other instance of the cluster that has ports and is not refused or stopped, sorted.</summary>
    public static ImmutableArray<string> From(IEnumerable<InstanceStatus> clusterInstances, string selfInstanceName)
    {
        ArgumentNullException.ThrowIfNull(clusterInstances);
        return
        [
            .. clusterInstances
                .Where(s => !string.Equals(s.InstanceName, selfInstanceName, StringComparison.Ordinal))
                .Where(s => s.TransportPort > 0 && !string.IsNullOrEmpty(s.Host))
                .Where(s => s.ContainerState is not (ContainerStates.Refused or InstanceStates.Stopped))
                .Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Host}:{s.TransportPort}"))
                .Distinct(StringComparer.Ordinal)
                .Order(StringComparer.Ordinal),
        ];
    }

    /// <summary>The content of <c>unicast_hosts.txt</c>: one address a line.</summary>
    public static string FileContent(ImmutableArray<string> hosts) =>
        hosts.IsDefaultOrEmpty ? "# no other instances known yet\n" : string.Join('\n', hosts) + "\n";
}
