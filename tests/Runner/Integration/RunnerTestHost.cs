using System.Collections.Immutable;
using Cloud.Runner.Docker;
using Cloud.Shared.Containers;
using Cloud.Shared.Coordination;
using Cloud.Shared.Serialization;
using Cloud.Testing;
using Cloud.ZooKeeper;

namespace Cloud.Runner.Tests.Integration;

/// <summary>
/// One simulated host of a test: a unique host id, its own temporary data root, and helpers to
/// write its definitions and read what its runner published. Disposing removes its containers.
/// </summary>
internal sealed class RunnerTestHost : IAsyncDisposable
{
    public const string Image = "cloud/elasticsearch:8.15.0";

    private readonly ZooKeeperClient _client;

    public RunnerTestHost(ZooKeeperClient client)
    {
        _client = client;
        HostId = "test-" + Guid.NewGuid().ToString("N")[..8];
        DataRoot = Path.Combine(Path.GetTempPath(), "runner-" + HostId);
        Directory.CreateDirectory(DataRoot);
    }

    public string HostId { get; }

    public string DataRoot { get; }

    public string ContainerName(string name) => $"{HostId}-{name}";

    /// <summary>A node definition binding <c>&lt;DataRoot&gt;/&lt;name&gt;/data</c>, created here as the allocator would (the runner never creates bind sources).</summary>
    public ContainerSpec Elasticsearch(string name, int hostPort, string? stopSignal = null, int stopTimeout = 2, string restartPolicy = RestartPolicySpec.UnlessStopped)
    {
        Directory.CreateDirectory($"{DataRoot}/{name}/data");
        return Node(name, hostPort, stopSignal, stopTimeout, restartPolicy);
    }

    private ContainerSpec Node(string name, int hostPort, string? stopSignal, int stopTimeout, string restartPolicy) => new()
    {
        Image = Image,
        Env = [$"node.name={name}", "cluster.name=runner-test"],
        Labels = ImmutableSortedDictionary<string, string>.Empty.Add("cloud.test", "runner"),
        ExposedPorts = ImmutableSortedDictionary<string, System.Text.Json.JsonElement>.Empty.Add("9200/tcp", System.Text.Json.JsonDocument.Parse("{}").RootElement.Clone()),
        HostConfig = new HostConfigSpec
        {
            PortBindings = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal,
                [new KeyValuePair<string, ImmutableArray<PortBindingSpec>>("9200/tcp", [new PortBindingSpec("127.0.0.1", hostPort.ToString(System.Globalization.CultureInfo.InvariantCulture))])]),
            Binds = [$"{DataRoot}/{name}/data:/data"],
            Memory = 256L * 1024 * 1024,
            CpuShares = 256,
            RestartPolicy = new RestartPolicySpec(restartPolicy),
        },
        StopSignal = stopSignal,
        StopTimeout = stopTimeout,
    };

    public async Task WriteAsync(string name, ContainerSpec spec) => await WriteRawAsync(name, ContainerSpecJson.Serialize(spec));

    public Task WriteRawAsync(string name, byte[] data) => _client.UpsertAsync(CloudPaths.ContainersOf(HostId) + "/" + name, data);

    public Task DeleteAsync(string name) => _client.DeleteAsync(CloudPaths.ContainersOf(HostId) + "/" + name, -1, CancellationToken.None);

    public async Task<ContainerObservation?> InspectAsync(string name)
    {
        try
        {
            // Raw path: the runner publishes under the definition's own node name, whatever Docker thinks of it.
            var result = await _client.GetDataAsync(CloudPaths.InspectOf(HostId) + "/" + name, null, CancellationToken.None);
            return CloudJson.Deserialize<ContainerObservation>(result.Data);
        }
        catch (NoNodeException)
        {
            return null;
        }
    }

    public Task<ContainerObservation> WaitForStateAsync(string name, string state, TimeSpan? timeout = null, Func<ContainerObservation, bool>? and = null) =>
        Eventually.GetAsync(
            async () => await InspectAsync(name) is { } o && o.State == state && (and?.Invoke(o) ?? true) ? o : null,
            timeout ?? TimeSpan.FromSeconds(30),
            $"{name} on {HostId} to be {state}");

    /// <summary>The owned containers as the docker CLI sees them: name to id.</summary>
    public async Task<ImmutableSortedDictionary<string, string>> DockerContainersAsync()
    {
        var lines = await DockerEngine.CliAsync("ps", "-a", "--filter", "label=" + OwnerLabels.FilterFor(HostId), "--format", "{{.Names}} {{.ID}}");
        return lines.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' '))
            .ToImmutableSortedDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
    }

    public static Task<string> DockerInspectAsync(string container, string format) => DockerEngine.CliAsync("inspect", "-f", format, container);

    public async ValueTask DisposeAsync()
    {
        await DockerEngine.RemoveContainersLabelledAsync(OwnerLabels.FilterFor(HostId));
        try
        {
            Directory.Delete(DataRoot, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
