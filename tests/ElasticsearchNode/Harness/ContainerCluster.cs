using System.Net;
using System.Text;
using System.Text.Json;
using Cloud.Testing;

namespace Cloud.ElasticsearchNode.Tests.Harness;

/// <summary>
/// Node containers of the image built from this worktree, on a Docker network of their own, with the
/// settings the allocator gives them (seed hosts, initial masters, a zone each, and one host directory of
/// the cluster bound at every node's <c>path.repo</c>). The image carries a test-only version tag, so another
/// worktree's build of the product tags cannot replace it mid-run; <c>ES_TEST_OWNER</c> names another tag
/// for worktrees whose test runs overlap.
/// </summary>
public sealed class ContainerCluster : IAsyncDisposable
{
    /// <summary>
    /// <c>ES_TEST_OWNER</c> names the image tag and the container prefix of one worktree's runs, so runs from
    /// several worktrees on one Docker Engine neither rebuild each other's image nor share container names.
    /// </summary>
    private static readonly string Owner = Environment.GetEnvironmentVariable("ES_TEST_OWNER") is { Length: > 0 } owner ? owner : "es2";

    public static readonly string ImageVersion = Owner == "es2" ? "8.15.0-es2-test" : $"8.15.0-{Owner}";

    /// <summary>Where every node sees the cluster's shared snapshot directory (the allocator's mount point).</summary>
    public const string ContainerSnapshotsPath = "/usr/share/elasticsearch/snapshots";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private readonly string _prefix = Owner + "r-" + Guid.NewGuid().ToString("N")[..8];
    private readonly Dictionary<string, int> _httpPorts = [];
    private readonly List<string> _initialMasters;
    private string _image = string.Empty;

    private ContainerCluster(IEnumerable<string> initialMasters) => _initialMasters = [.. initialMasters];

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(90) };

    public IReadOnlyCollection<string> Nodes => _httpPorts.Keys;

    /// <summary>The host directory every node binds at <see cref="ContainerSnapshotsPath"/>.</summary>
    public string SnapshotsDirectory => Path.Combine(Path.GetTempPath(), _prefix + "-snapshots");

    public static async Task<ContainerCluster> CreateAsync(params string[] initialMasters)
    {
        var cluster = new ContainerCluster(initialMasters);
        cluster._image = await LocalImages.ElasticsearchAsync(ImageVersion);
        await DockerEngine.CliAsync("network", "create", "--label", "owner=" + cluster._prefix, cluster._prefix);
        Directory.CreateDirectory(cluster.SnapshotsDirectory);
        return cluster;
    }

    public string ContainerOf(string node) => $"{_prefix}-{node}";

    /// <summary>Starts a node; it seeds from every initial master and every node started before it.</summary>
    public async Task StartAsync(string name, string zone)
    {
        var port = FreePorts.Next();
        _httpPorts[name] = port;
        var seeds = string.Join(',', _initialMasters.Concat(_httpPorts.Keys).Distinct().Where(n => n != name).Select(n => $"{ContainerOf(n)}:9300"));
        await DockerEngine.CliAsync("run", "-d", "--name", ContainerOf(name), "--hostname", ContainerOf(name), "--network", _prefix,
            "--label", "owner=" + _prefix, "-p", $"127.0.0.1:{port}:9200",
            "-e", "cluster.name=" + _prefix, "-e", "node.name=" + name, "-e", "node.roles=master,data,ingest", "-e", "node.attr.zone=" + zone,
            "-e", "network.host=0.0.0.0", "-e", $"network.publish_host={ContainerOf(name)}", "-e", "http.port=9200", "-e", "transport.port=9300",
            "-e", "discovery.seed_hosts=" + seeds, "-e", "cluster.initial_master_nodes=" + string.Join(',', _initialMasters),
            "-e", "path.data=/usr/share/elasticsearch/data", "-v", $"{SnapshotsDirectory}:{ContainerSnapshotsPath}", "-e", "path.repo=" + ContainerSnapshotsPath, _image);
        await AnsweringAsync(name);
    }

    /// <summary>Waits until the node's HTTP port answers <c>GET /</c> (the port is published before the process listens).</summary>
    public Task AnsweringAsync(string name) => Cloud.Testing.Eventually.AssertAsync(async () =>
    {
        using var response = await SendAsync(HttpMethod.Get, name, "/");
        return response.IsSuccessStatusCode;
    }, Deadline, $"{name} to answer GET /");

    /// <summary>The node's last log lines, for failure messages.</summary>
    /// <summary>
    /// Keeps every node's whole log and shard table in a temp directory (path printed) beside a failure, since the
    /// containers go with the cluster; returns the directory.
    /// </summary>
    public async Task<string> KeepLogsAsync(string label)
    {
        var directory = Path.Combine(Path.GetTempPath(), label + "-" + DateTimeOffset.UtcNow.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(directory);
        foreach (var node in Nodes)
        {
            await File.WriteAllTextAsync(Path.Combine(directory, node + ".log"), await LogsAsync(node, 100_000));
            try
            {
                using var shards = await SendAsync(HttpMethod.Get, node, "/_cat/shards?v");
                await File.WriteAllTextAsync(Path.Combine(directory, node + ".shards"), await shards.Content.ReadAsStringAsync());
            }
            catch (HttpRequestException)
            {
                // A killed node has no shard table; its log is what is left.
            }
        }

        Console.Error.WriteLine($"{label} failed: node logs and shard tables kept in {directory}");
        return directory;
    }

    public Task<string> LogsAsync(string name, int lines = 60) => DockerEngine.CliAsync("logs", "--tail", lines.ToString(System.Globalization.CultureInfo.InvariantCulture), ContainerOf(name));

    public Task KillAsync(string name) => DockerEngine.CliAsync("kill", ContainerOf(name));

    /// <summary>
    /// Cuts the node's transport (port 9300, both directions) inside its network namespace, leaving its HTTP port
    /// reachable: the node is partitioned from every other node, and clients still get its answers.
    /// </summary>
    public async Task PartitionAsync(string name)
    {
        foreach (var chain in new[] { "INPUT --dport", "OUTPUT --dport" })
        {
            var parts = chain.Split(' ');
            await InNamespaceAsync(name, "iptables", "-A", parts[0], "-p", "tcp", parts[1], "9300", "-j", "DROP");
        }
    }

    /// <summary>Removes the rules <see cref="PartitionAsync"/> added.</summary>
    public async Task HealAsync(string name)
    {
        foreach (var chain in new[] { "INPUT", "OUTPUT" })
        {
            await InNamespaceAsync(name, "iptables", "-D", chain, "-p", "tcp", "--dport", "9300", "-j", "DROP");
        }
    }

    private async Task InNamespaceAsync(string name, params string[] command)
    {
        var pid = (await DockerEngine.CliAsync("inspect", "-f", "{{.State.Pid}}", ContainerOf(name))).Trim();
        var info = new System.Diagnostics.ProcessStartInfo("nsenter") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])["-t", pid, "-n", .. command])
        {
            info.ArgumentList.Add(argument);
        }

        using var process = System.Diagnostics.Process.Start(info) ?? throw new InvalidOperationException("could not start nsenter");
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"nsenter -t {pid} -n {string.Join(' ', command)} failed ({process.ExitCode}): {await error}");
        }
    }

    public Task StopAsync(string name) => DockerEngine.CliAsync("stop", "-t", "30", ContainerOf(name));

    public async Task RestartAsync(string name)
    {
        await DockerEngine.CliAsync("start", ContainerOf(name));
        await AnsweringAsync(name);
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string node, string path, string? body = null, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(method, $"http://127.0.0.1:{_httpPorts[node]}{path}");
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, path.Contains("_bulk", StringComparison.Ordinal) ? "application/x-ndjson" : "application/json");
        }

        return await Http.SendAsync(request, cancellationToken);
    }

    /// <summary>A successful answer (retried until the node answers one, within the deadline), parsed.</summary>
    public async Task<JsonElement> GetAsync(string node, string path)
    {
        var text = await Eventually.GetAsync(async () =>
        {
            using var response = await SendAsync(HttpMethod.Get, node, path);
            return response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync() : null;
        }, Deadline, $"{node} to answer {path} with success");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Sends once and requires success.</summary>
    public async Task<JsonElement> RequireAsync(HttpMethod method, string node, string path, string? body = null)
    {
        using var response = await SendAsync(method, node, path, body);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{method} {path} on {node}: {(int)response.StatusCode} {text}", null, response.StatusCode);
        }

        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>
    /// Waits until every started node sees a master and all the started nodes in the state it applied: a master
    /// that counts the nodes is not enough, as a node it just added may not have applied that state yet.
    /// </summary>
    public async Task FormedAsync()
    {
        foreach (var node in Nodes.ToList())
        {
            await HealthAsync(node, "wait_for_nodes=" + Nodes.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Waits for cluster health on <paramref name="node"/> (its own wait_for_* parameters, the node's answer).</summary>
    public async Task<JsonElement> HealthAsync(string node, string query)
    {
        using var response = await SendAsync(HttpMethod.Get, node, "/_cluster/health?timeout=80s&" + query);
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new HttpRequestException($"health {query} on {node}: {(int)response.StatusCode} {text}");
        }

        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Every shard copy as <c>_cat/shards</c> reports it: (index, shard, prirep, state, node).</summary>
    public async Task<List<(string Index, int Shard, bool Primary, string State, string? Node)>> ShardsAsync(string node)
    {
        var rows = await GetAsync(node, "/_cat/shards?format=json");
        return [.. rows.EnumerateArray().Select(r => (
            r.GetProperty("index").GetString()!,
            int.Parse(r.GetProperty("shard").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
            r.GetProperty("prirep").GetString() == "p",
            r.GetProperty("state").GetString()!,
            r.TryGetProperty("node", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null))];
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await DockerEngine.RemoveContainersLabelledAsync("owner=" + _prefix);
        await DockerEngine.CliAsync("network", "rm", _prefix);
        if (Directory.Exists(SnapshotsDirectory))
        {
            Directory.Delete(SnapshotsDirectory, recursive: true);
        }
    }

    /// <summary>The ids of <paramref name="index"/> a real-time <c>_mget</c> through <paramref name="node"/> does not find.</summary>
    public async Task<List<string>> MissingAsync(string index, string node, IEnumerable<string> ids)
    {
        var missing = new List<string>();
        foreach (var chunk in ids.Chunk(500))
        {
            var body = JsonSerializer.Serialize(new { docs = chunk.Select(id => new { _index = index, _id = id }) });
            var result = await RequireAsync(HttpMethod.Post, node, "/_mget", body);
            // An item that failed carries its error: keep the reason beside the id, or a failure reads as a lost write.
            missing.AddRange(result.GetProperty("docs").EnumerateArray()
                .Where(d => !d.TryGetProperty("found", out var f) || !f.GetBoolean())
                .Select(d => d.GetProperty("_id").GetString() + (d.TryGetProperty("error", out var error) ? $" ({error.GetRawText()})" : string.Empty)));
        }

        return missing;
    }
}
