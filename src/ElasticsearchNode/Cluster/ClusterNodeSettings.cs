using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Cloud.ElasticsearchNode.Cluster.Coordination;
using Cloud.ElasticsearchNode.Cluster.Transport;

namespace Cloud.ElasticsearchNode.Cluster;

/// <summary>
/// Reads the cluster settings the allocator passes the way the official image takes them (environment
/// variables named after the setting): <c>discovery.seed_hosts</c>, the file seed provider's
/// <c>config/unicast_hosts.txt</c>, <c>cluster.initial_master_nodes</c>, <c>transport.port</c>,
/// <c>network.publish_host</c>, <c>transport.publish_port</c>, <c>node.attr.*</c>,
/// <c>cluster.fault_detection.follower_check.interval</c>.
/// </summary>
internal static class ClusterNodeSettings
{
    public static ClusterNodeOptions From(NodeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var all = settings.All;
        string? Get(string name) => all.TryGetValue(name, out var value) && value.Length > 0 ? value : Environment.GetEnvironmentVariable(name) is { Length: > 0 } env ? env : null;
        var (nodeName, clusterName, dataPath, roles) = (settings.NodeName, settings.ClusterName, settings.DataPath, settings.Roles);
        static ImmutableArray<string> List(string? value) =>
            value is null ? [] : [.. value.Trim('[', ']').Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

        var attributes = all.Keys
            .Where(k => k.StartsWith("node.attr.", StringComparison.Ordinal))
            .ToImmutableSortedDictionary(k => k["node.attr.".Length..], k => Get(k) ?? string.Empty, StringComparer.Ordinal);

        // Without transport.port (in-process hosts, development) the transport takes any free port; the platform always sets it.
        var port = int.TryParse(Get("transport.port"), NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : 0;
        var configDir = Get("ES_PATH_CONF") ?? "/usr/share/elasticsearch/config";
        var providers = List(Get("discovery.seed_providers"));
        var unicast = Path.Combine(configDir, "unicast_hosts.txt");
        var seedHosts = List(Get("discovery.seed_hosts"));
        var initialMasters = List(Get("cluster.initial_master_nodes"));
        var alone = Get("discovery.type") == "single-node" || (seedHosts.IsEmpty && initialMasters.IsEmpty && providers.IsEmpty);
        return new ClusterNodeOptions
        {
            NodeName = nodeName,
            ClusterName = clusterName,
            DataPath = dataPath,
            Roles = [.. roles],
            Attributes = attributes,
            PublishHost = Get("network.publish_host") ?? LocalAddress(),
            PublishPort = int.TryParse(Get("transport.publish_port"), NumberStyles.None, CultureInfo.InvariantCulture, out var pp) ? pp : 0,
            HttpPublishAddress = Get("http.publish_port") is { } hp ? (Get("network.publish_host") ?? LocalAddress()) + ":" + hp : null,
            Transport = new TransportOptions { BindHost = Get("network.host") is { } h && IPAddress.TryParse(h, out _) ? h : "0.0.0.0", Port = port },
            Coordination = new CoordinationOptions
            {
                SeedHosts = seedHosts,
                InitialMasterNodes = initialMasters,
                BootstrapAlone = alone,
                UnicastHostsFile = providers.Contains("file") || File.Exists(unicast) ? unicast : null,
                FollowerCheckInterval = Get("cluster.fault_detection.follower_check.interval") is { } interval ? Indices.TimeValue.Parse(interval) : TimeSpan.FromSeconds(1),
            },
        };
    }

    private static string LocalAddress()
    {
        try
        {
            return Dns.GetHostAddresses(Dns.GetHostName()).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))?.ToString() ?? "127.0.0.1";
        }
        catch (SocketException)
        {
            return "127.0.0.1";
        }
    }
}
