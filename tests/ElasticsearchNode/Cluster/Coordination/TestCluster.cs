using System.Collections.Immutable;
using Cloud.ElasticsearchNode.Cluster;
using Cloud.ElasticsearchNode.Cluster.Coordination;
using Cloud.ElasticsearchNode.Cluster.Transport;
using Cloud.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cloud.ElasticsearchNode.Tests.Cluster.Coordination;

/// <summary>Real nodes (real TCP transport on loopback, real data directories) in this process.</summary>
internal sealed class TestCluster : IAsyncDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "es2-cluster-" + Guid.NewGuid().ToString("N"));
    private readonly Dictionary<string, int> _ports = [];
    private readonly List<string> _initialMasters;

    public TestCluster(params string[] initialMasters)
    {
        _initialMasters = [.. initialMasters];
        foreach (var name in initialMasters)
        {
            _ports[name] = FreePorts.Next();
        }
    }

    public string ClusterName { get; init; } = "test-cluster";

    public Dictionary<string, ClusterNode> Nodes { get; } = [];

    public string AddressOf(string name) => TransportAddress.Format("127.0.0.1", _ports[name]);

    public string DataOf(string name) => Path.Combine(_root, name);

    public ClusterNode Start(string name, string? zone = null, IEnumerable<string>? seeds = null, string? unicastFile = null, string roles = "data,ingest,master", string? clusterName = null)
    {
        if (!_ports.TryGetValue(name, out var port))
        {
            port = _ports[name] = FreePorts.Next();
        }

        var options = new ClusterNodeOptions
        {
            NodeName = name,
            ClusterName = clusterName ?? ClusterName,
            DataPath = DataOf(name),
            Roles = [.. roles.Split(',')],
            Attributes = zone is null ? ImmutableSortedDictionary<string, string>.Empty : ImmutableSortedDictionary<string, string>.Empty.Add("zone", zone),
            Transport = new TransportOptions { BindHost = "127.0.0.1", Port = port },
            Coordination = new CoordinationOptions
            {
                SeedHosts = [.. seeds ?? _initialMasters.Where(n => n != name).Select(AddressOf)],
                InitialMasterNodes = [.. _initialMasters],
                UnicastHostsFile = unicastFile,
            },
        };
        var node = ClusterNode.Start(options, NullLoggerFactory.Instance, TimeProvider.System);
        node.Join();
        Nodes[name] = node;
        return node;
    }

    public async Task StopAsync(string name)
    {
        await Nodes[name].DisposeAsync();
        Nodes.Remove(name);
    }

    /// <summary>Waits until every running node follows the same master with exactly the running nodes in its state.</summary>
    public Task<ClusterNode> StableAsync(int expectedNodes, TimeSpan? timeout = null) =>
        Eventually.GetAsync(() =>
        {
            var masters = Nodes.Values.Select(n => n.Coordinator.HasMaster ? n.State.MasterNodeId : null).Distinct().ToList();
            var stable = masters is [{ } master]
                && Nodes.Values.All(n => n.State.Nodes.Count == expectedNodes)
                && Nodes.Values.Any(n => n.LocalNode.Id == master);
            return Task.FromResult(stable ? Nodes.Values.Single(n => n.LocalNode.Id == masters[0]) : null);
        }, timeout ?? TimeSpan.FromSeconds(30), $"{expectedNodes} nodes to agree on one master");

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes.Values)
        {
            await node.DisposeAsync();
        }

        Nodes.Clear();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
