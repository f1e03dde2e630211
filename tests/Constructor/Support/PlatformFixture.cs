using System.Collections.Immutable;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Cloud.Shared.Coordination;
using Cloud.Testing;
using Cloud.ZooKeeper;
using Xunit;

namespace Cloud.Constructor.Tests.Support;

/// <summary>
/// One platform shared by the plan scenarios: a real ZooKeeper server, four hosts (zone-1 twice,
/// zone-2, zone-3) each with its real runner and allocator process on the real Docker Engine, and
/// the constructor as its real process. Built once per test collection; scenarios use clusters of their own.
/// </summary>
public sealed class PlatformFixture : IAsyncLifetime
{
    public static readonly TimeSpan PlanWait = TimeSpan.FromSeconds(150);

    private readonly string _prefix = "ct" + Guid.NewGuid().ToString("N")[..6];

    public ZooKeeperServer Zk { get; private set; } = null!;

    public ZooKeeperClient Observer { get; private set; } = null!;

    public ImmutableArray<PlatformHost> Hosts { get; private set; } = [];

    public RoleProcess? Constructor { get; private set; }

    public HttpClient Api { get; private set; } = new();

    public string DataRoot { get; } = Path.Combine(Path.GetTempPath(), "cloud-constructor-tests-" + Guid.NewGuid().ToString("N")[..8]);

    public static IReadOnlyDictionary<string, string> ConstructorSettings(string connectString, string id, string? crashAfterStep = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["ZooKeeper:ConnectString"] = connectString,
            ["ZooKeeper:SessionTimeoutSeconds"] = "4",
            ["Constructor:ConstructorId"] = id,
            ["Constructor:AllocatorGracePeriod"] = "00:00:05",
            ["Constructor:DrainPeriod"] = "00:00:00.200",
            ["Constructor:PollInterval"] = "00:00:00.200",
            ["Constructor:JoinTimeout"] = "00:00:05",
        };
        if (crashAfterStep is not null)
        {
            settings["Constructor:CrashAfterStep"] = crashAfterStep;
        }

        return settings;
    }

    public async Task InitializeAsync()
    {
        await Task.WhenAll(LocalImages.ElasticsearchAsync("8.15.0"), LocalImages.ElasticsearchAsync("8.16.0"));
        Zk = await ZooKeeperServer.StartAsync();
        Observer = await ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions { ConnectString = Zk.ConnectString, SessionTimeout = TimeSpan.FromSeconds(10) });
        var firstPort = 31000 + (Random.Shared.Next(0, 60) * 500);
        string[] zones = ["zone-1", "zone-1", "zone-2", "zone-3"];
        Hosts = [.. zones.Select((zone, i) => new PlatformHost(Zk.ConnectString, $"{_prefix}-h{i + 1}", zone, Path.Combine(DataRoot, $"h{i + 1}"), firstPort + (i * 100)))];
        foreach (var host in Hosts)
        {
            host.Start();
        }

        await StartConstructorAsync();
        await Eventually.AssertAsync(
            async () => (await ZooKeeperChildrenAsync(CloudPaths.Allocators)).Count == Hosts.Length,
            TimeSpan.FromSeconds(60),
            "every allocator registered");
    }

    public async Task StartConstructorAsync(string? crashAfterStep = null)
    {
        Constructor = RoleProcess.Start("Constructor", ConstructorSettings(Zk.ConnectString, $"{_prefix}-constructor-{Guid.NewGuid().ToString("N")[..4]}", crashAfterStep));
        Api.Dispose();
        Api = new HttpClient { BaseAddress = Constructor.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        await Eventually.AssertAsync(
            async () => (await Api.GetAsync(new Uri("/health", UriKind.Relative))).IsSuccessStatusCode,
            TimeSpan.FromSeconds(60),
            "the constructor answers");
    }

    public async Task StopConstructorAsync()
    {
        if (Constructor is not null)
        {
            await Constructor.DisposeAsync();
            Constructor = null;
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

    /// <summary>Creates a cluster and waits until it is started and healthy; returns its id.</summary>
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

    /// <summary>Waits until the cluster has no pending plan and is healthy; returns the resource.</summary>
    public Task<JsonElement> WaitForPlanAsync(string clusterId, TimeSpan? timeout = null) =>
        Eventually.GetAsync<object>(
            async () =>
            {
                var cluster = await GetAsync($"/api/v1/clusters/elasticsearch/{clusterId}");
                var pending = cluster.GetProperty("plan_info").GetProperty("pending");
                return pending.ValueKind == JsonValueKind.Null && cluster.GetProperty("healthy").GetBoolean() ? cluster : null;
            },
            timeout ?? PlanWait,
            $"cluster {clusterId} healthy with no pending plan",
            TimeSpan.FromMilliseconds(300)).ContinueWith(t => (JsonElement)t.Result, TaskScheduler.Default);

    public async Task DisposeAsync()
    {
        await StopConstructorAsync();
        foreach (var host in Hosts)
        {
            await host.DisposeAsync();
        }

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

[CollectionDefinition(Name)]
public sealed class PlatformCollection : ICollectionFixture<PlatformFixture>
{
    public const string Name = "platform";
}
