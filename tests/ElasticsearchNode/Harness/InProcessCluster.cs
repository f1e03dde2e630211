using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Cloud.ElasticsearchNode.Cluster;
using Cloud.Testing;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;

namespace Cloud.ElasticsearchNode.Tests.Harness;

/// <summary>
/// Several <see cref="InProcessNode"/>s that form one cluster over loopback transport ports (each node seeds the
/// others and all are initial masters). A node can be restarted on its data folder, names and ports.
/// </summary>
public sealed class InProcessCluster : IAsyncDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly Dictionary<string, int> _ports;
    private readonly IReadOnlyDictionary<string, string> _extra;
    private readonly Dictionary<string, InProcessNode> _nodes = new(StringComparer.Ordinal);

    private InProcessCluster(IReadOnlyList<string> names, IReadOnlyDictionary<string, string> extra)
    {
        Names = names;
        _extra = extra;
        _ports = names.ToDictionary(n => n, _ => FreePorts.Next(), StringComparer.Ordinal);
    }

    public IReadOnlyList<string> Names { get; }

    public InProcessNode this[string name] => _nodes[name];

    /// <param name="settings">More settings for every node.</param>
    public static async Task<InProcessCluster> StartAsync(int nodes, IReadOnlyDictionary<string, string>? settings = null)
    {
        var cluster = new InProcessCluster([.. Enumerable.Range(1, nodes).Select(i => "n" + i.ToString(CultureInfo.InvariantCulture))], settings ?? new Dictionary<string, string>());
        try
        {
            foreach (var name in cluster.Names)
            {
                cluster._nodes[name] = await InProcessNode.StartAsync(settings: cluster.SettingsOf(name));
            }

            await cluster.WaitFormedAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    internal static ClusterNode ClusterOf(InProcessNode node) => node.Services.GetRequiredService<ClusterNode>();

    /// <summary>The name of the elected master, as <paramref name="from"/> sees it.</summary>
    public string MasterName(string from) => ClusterOf(_nodes[from]).State.MasterNode?.Name ?? throw new InvalidOperationException($"{from} knows no master");

    /// <summary>
    /// Stops a node cleanly and starts it again on the same data folder, names and ports; <paramref name="whileStopped"/>
    /// gets the data folder in between (to take files away, as a lost disk would).
    /// </summary>
    public async Task RestartAsync(string name, Action<string>? whileStopped = null)
    {
        var dataPath = _nodes[name].DataPath;
        await _nodes[name].StopAsync();
        whileStopped?.Invoke(dataPath);
        _nodes[name] = await InProcessNode.StartAsync(dataPath, settings: SettingsOf(name));
    }

    public async Task WaitFormedAsync()
    {
        var formed = await Eventually.TrueAsync(() => _nodes.Values.All(n => ClusterOf(n).Coordinator.HasMaster && ClusterOf(n).State.Nodes.Count == Names.Count), Deadline);
        formed.Should().BeTrue("the nodes form one cluster: " + string.Join("; ", _nodes.Select(n =>
            $"{n.Key} {ClusterOf(n.Value).Coordinator.Mode} term {ClusterOf(n.Value).Coordinator.CurrentTerm} nodes {ClusterOf(n.Value).State.Nodes.Count}")));
    }

    /// <summary>Sends a request and fails unless it answers 200 or 201.</summary>
    public async Task<JsonNode?> RequireAsync(string name, HttpMethod method, string path, string? body = null, string contentType = "application/json")
    {
        var (status, json) = await _nodes[name].SendAsync(method, path, body, contentType);
        if (status is not (HttpStatusCode.OK or HttpStatusCode.Created))
        {
            throw new HttpRequestException($"{name}: {method} {path}: {(int)status} {json?.ToJsonString()}");
        }

        return json;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes.Values)
        {
            await node.DisposeAsync();
        }
    }

    private Dictionary<string, string> SettingsOf(string name)
    {
        var settings = new Dictionary<string, string>(_extra)
        {
            ["node.name"] = name,
            ["transport.port"] = _ports[name].ToString(CultureInfo.InvariantCulture),
            ["network.publish_host"] = "127.0.0.1",
            ["discovery.seed_hosts"] = string.Join(',', Names.Where(n => n != name).Select(n => "127.0.0.1:" + _ports[n].ToString(CultureInfo.InvariantCulture))),
            ["cluster.initial_master_nodes"] = string.Join(',', Names),
        };
        return settings;
    }
}
