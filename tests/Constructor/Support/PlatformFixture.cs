using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Cloud.Shared.Coordination;
using Cloud.Testing;
using Cloud.ZooKeeper;
using Xunit;

namespace Cloud.Constructor.Tests.Support;

/// <summary>
/// A platform shared by the tests of a collection: a real ZooKeeper server, hosts each with its real
/// runner and allocator process on the real Docker Engine, and the constructor as its real process.
/// Built once per collection; tests use clusters of their own and <see cref="RetireClustersAsync"/>
/// shuts them down when they are done, so stopped containers leave the machine's cores to the next test.
/// </summary>
public class PlatformFixture : IAsyncLifetime
{
    public static readonly TimeSpan PlanWait = TimeSpan.FromSeconds(150);

    /// <summary>What each allocator advertises: far above what the node containers use, so tests never run out.</summary>
    public const int AllocatorMemoryMb = 16384;

    private readonly string _prefix = "ct" + Guid.NewGuid().ToString("N")[..6];
    private readonly ConcurrentDictionary<string, Task> _retiring = new(StringComparer.Ordinal);

    public ZooKeeperServer Zk { get; private set; } = null!;

    public ZooKeeperClient Observer { get; private set; } = null!;

    public ImmutableArray<PlatformHost> Hosts { get; private set; } = [];

    public RoleProcess? Constructor { get; private set; }

    public string? ConstructorId { get; private set; }

    public HttpClient Api { get; private set; } = new();

    public string DataRoot { get; } = Path.Combine(Path.GetTempPath(), "cloud-constructor-tests-" + Guid.NewGuid().ToString("N")[..8]);

    /// <summary>The zone of each host, in host order: zone-1 twice (vacate and remediation move within it), zone-2, zone-3.</summary>
    protected virtual IReadOnlyList<string> HostZones => ["zone-1", "zone-1", "zone-2", "zone-3"];

    public static IReadOnlyDictionary<string, string> ConstructorSettings(string connectString, string id, string? crashAfterStep = null, string? failAfterStep = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["ZooKeeper:ConnectString"] = connectString,
            ["ZooKeeper:SessionTimeoutSeconds"] = "4",
            ["Constructor:ConstructorId"] = id,
            ["Constructor:AllocatorGracePeriod"] = "00:00:05",
            ["Constructor:DrainPeriod"] = "00:00:00.200",
            ["Constructor:PollInterval"] = "00:00:00.200",
            ["Constructor:JoinTimeout"] = "00:00:30",
            ["Constructor:RollbackTimeout"] = "00:01:00",
        };
        if (crashAfterStep is not null)
        {
            settings["Constructor:CrashAfterStep"] = crashAfterStep;
        }

        if (failAfterStep is not null)
        {
            settings["Constructor:FailAfterStep"] = failAfterStep;
        }

        return settings;
    }

    public async Task InitializeAsync()
    {
        // Images build (or are found up to date) while ZooKeeper and the agents start.
        var images = Task.WhenAll(LocalImages.ElasticsearchAsync("8.15.0"), LocalImages.ElasticsearchAsync("8.16.0"));
        Zk = await ZooKeeperServer.StartAsync();
        Observer = await ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions { ConnectString = Zk.ConnectString, SessionTimeout = TimeSpan.FromSeconds(10) });
        Hosts = [.. HostZones.Select((zone, i) => new PlatformHost(new HostAgentSettings(Zk.ConnectString, $"{_prefix}-h{i + 1}", zone, Path.Combine(DataRoot, $"h{i + 1}"), FreePorts.NextRange(100))
        {
            MemoryCapacityMb = AllocatorMemoryMb,
            PortBindIp = DockerBridge.GatewayAddress,
            StopTimeoutSeconds = 5,
            ProbeTimeout = TimeSpan.FromSeconds(2),
        }))];
        foreach (var host in Hosts)
        {
            host.Start();
        }

        await StartConstructorAsync();
        await images;
        await Eventually.AssertAsync(
            async () => (await ZooKeeperChildrenAsync(CloudPaths.Allocators)).Count == Hosts.Length,
            TimeSpan.FromSeconds(60),
            "every allocator registered");
    }

    public async Task StartConstructorAsync(string? crashAfterStep = null) => await UseConstructorAsync(await StartStandbyConstructorAsync(crashAfterStep));

    /// <summary>
    /// Starts another constructor and waits until it answers; it serves the API at once and leads only
    /// when those before it in the election are gone. <see cref="UseConstructorAsync"/> makes it the one tests talk to.
    /// </summary>
    public async Task<StartedConstructor> StartStandbyConstructorAsync(string? crashAfterStep = null, string? failAfterStep = null)
    {
        var id = $"{_prefix}-constructor-{Guid.NewGuid().ToString("N")[..4]}";
        var process = RoleProcess.Start("Constructor", ConstructorSettings(Zk.ConnectString, id, crashAfterStep, failAfterStep));
        // Generous: on two cores under a full test run a .NET host can take a minute to listen.
        await process.WaitUntilAnsweringAsync(TimeSpan.FromMinutes(3));
        return new StartedConstructor(process, id);
    }

    /// <summary>Tests talk to <paramref name="constructor"/> from now on; the one they talked to so far is stopped.</summary>
    public async Task UseConstructorAsync(StartedConstructor constructor)
    {
        ArgumentNullException.ThrowIfNull(constructor);
        await StopConstructorAsync();
        Constructor = constructor.Process;
        ConstructorId = constructor.Id;
        Api.Dispose();
        Api = new HttpClient { BaseAddress = Constructor.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>Waits until <paramref name="constructorId"/> leads the constructors' election.</summary>
    public Task WaitForLeaderAsync(string constructorId) =>
        Eventually.AssertAsync(
            async () => (await GetAsync("/api/v1/platform/infrastructure/constructors")).GetProperty("constructors").EnumerateArray()
                .Any(c => c.GetProperty("constructor_id").GetString() == constructorId && c.GetProperty("leader").GetBoolean()),
            TimeSpan.FromSeconds(60),
            $"constructor {constructorId} leading");

    public async Task StopConstructorAsync()
    {
        if (Constructor is not null)
        {
            await Constructor.DisposeAsync();
            Constructor = null;
            ConstructorId = null;
        }
    }

    public async Task<IReadOnlyList<string>> ZooKeeperChildrenAsync(string path)
    {
        try
        {
            return (await Observer.GetChildrenAsync(path)).Children;
        }
        catch (NoNodeException)
        {
            return [];
        }
    }

    public async Task<JsonElement> GetAsync(string path)
    {
        using var response = await Api.GetAsync(new Uri(path, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public async Task<(int Status, JsonElement Body)> SendAsync(HttpMethod method, string path, string? json = null, string? apiKey = null, HttpClient? client = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        if (apiKey is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("ApiKey", apiKey);
        }

        using var response = await (client ?? Api).SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>
    /// The constructor's <c>cloud_constructor_plans_total</c> for one outcome and kind, as its Prometheus
    /// endpoint serves it (0 while the series is not there yet).
    /// </summary>
    public async Task<double> PlansEndedAsync(string outcome, string kind = "change", HttpClient? client = null)
    {
        var text = await (client ?? Api).GetStringAsync(new Uri("/metrics", UriKind.Relative));
        return text.Split('\n')
            .Where(l => l.StartsWith("cloud_constructor_plans_total{", StringComparison.Ordinal)
                && l.Contains($"outcome=\"{outcome}\"", StringComparison.Ordinal) && l.Contains($"kind=\"{kind}\"", StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.IndexOf('}', StringComparison.Ordinal) + 1)..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Creates a cluster and waits until it is started and healthy; returns its id.</summary>
    /// <param name="zones">1 where the scenario does not need three zones: one node starts faster and leaves the cores to the others.</param>
    public async Task<string> CreateClusterAsync(string name, string version = "8.15.0", int memory = 1024, int zones = 3)
    {
        var (status, body) = await SendAsync(HttpMethod.Post, "/api/v1/clusters/elasticsearch", PlanBodies.Create(name, version, memory, zones));
        if (status != 201)
        {
            throw new InvalidOperationException($"create answered {status}: {body}");
        }

        var id = body.GetProperty("cluster_id").GetString()!;
        await WaitForPlanAsync(id);
        return id;
    }

    /// <summary>
    /// Waits until the cluster has no pending plan and is healthy; returns the resource. On timeout the
    /// error carries the cluster as last seen and its latest plan attempt, steps and logs included.
    /// </summary>
    public async Task<JsonElement> WaitForPlanAsync(string clusterId, TimeSpan? timeout = null)
    {
        var path = $"/api/v1/clusters/elasticsearch/{clusterId}";
        JsonElement last = default;
        try
        {
            var cluster = await Eventually.GetAsync<object>(
                async () =>
                {
                    last = await GetAsync(path);
                    return last.GetProperty("plan_info").GetProperty("pending").ValueKind == JsonValueKind.Null && last.GetProperty("healthy").GetBoolean() ? last : null;
                },
                timeout ?? PlanWait,
                $"cluster {clusterId} healthy with no pending plan",
                TimeSpan.FromMilliseconds(200));
            return (JsonElement)cluster;
        }
        catch (TimeoutException ex)
        {
            throw new TimeoutException($"{ex.Message}\ncluster: {last}\nlatest attempt: {await LatestAttemptAsync(clusterId)}", ex);
        }
    }

    /// <summary>The cluster's running plan attempt, else its last one, as JSON: steps, statuses and logs (for failure messages).</summary>
    public async Task<string> LatestAttemptAsync(string clusterId)
    {
        var activity = await GetAsync($"/api/v1/clusters/elasticsearch/{clusterId}/plan/activity");
        var attempt = activity.GetProperty("current").ValueKind == JsonValueKind.Object
            ? activity.GetProperty("current")
            : activity.GetProperty("history").EnumerateArray().LastOrDefault();
        return attempt.ToString();
    }

    /// <summary>
    /// Shuts down, in the background, every cluster of this platform still running (the clusters of the
    /// tests that ran so far); <see cref="DisposeAsync"/> waits for them. Test classes call it when a test ends.
    /// </summary>
    public async Task RetireClustersAsync()
    {
        var list = await GetAsync("/api/v1/clusters/elasticsearch");
        foreach (var cluster in list.GetProperty("elasticsearch_clusters").EnumerateArray())
        {
            var id = cluster.GetProperty("cluster_id").GetString()!;
            if (cluster.GetProperty("status").GetString() != "stopped")
            {
                _ = _retiring.GetOrAdd(id, _ => Task.Run(() => RetireAsync(id)));
            }
        }
    }

    public async Task DisposeAsync()
    {
        try
        {
            if (Constructor is not null)
            {
                await Task.WhenAll(_retiring.Values).WaitAsync(PlanWait);
            }
        }
        finally
        {
            await TearDownAsync();
        }
    }

    private async Task RetireAsync(string clusterId)
    {
        // A plan still pending (a remediation, a second phase) finishes first: a shutdown waits its turn.
        await Eventually.AssertAsync(
            async () =>
            {
                var (status, _) = await SendAsync(HttpMethod.Post, $"/api/v1/clusters/elasticsearch/{clusterId}/_shutdown");
                return status is 202 or 404;
            },
            PlanWait,
            $"cluster {clusterId} accepted its shutdown",
            TimeSpan.FromMilliseconds(500));
    }

    private async Task TearDownAsync()
    {
        await StopConstructorAsync();
        await Task.WhenAll(Hosts.Select(h => h.DisposeAsync().AsTask()));
        Api.Dispose();
        if (Observer is not null)
        {
            await Observer.DisposeAsync();
        }

        if (Zk is not null)
        {
            await Zk.DisposeAsync();
        }

        try
        {
            Directory.Delete(DataRoot, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
            // Containers ran as uid 1000 and wrote there; the temp dir is cleaned by the system.
        }
    }
}
