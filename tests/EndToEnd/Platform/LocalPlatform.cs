using System.Globalization;
using Cloud.Testing;

namespace Cloud.EndToEnd.Tests.Platform;

/// <summary>
/// The whole platform as single-host mode runs it, started from the built role processes: one
/// ZooKeeper, two constructors (one leads, one stands by), one proxy and three runner+allocator
/// pairs in zones zone-1..zone-3. Host ids are unique per platform so several test runs and
/// <c>up.sh</c> never share containers. Tests talk to it only through the REST API, the proxy,
/// Docker and process signals.
/// </summary>
public sealed class LocalPlatform : IAsyncDisposable
{
    private static readonly int[] HostZones = [1, 2, 3, 3];

    private readonly List<RoleProcess> _constructors = [];
    private readonly Dictionary<RoleProcess, string> _constructorIds = [];
    private readonly string _root;

    private LocalPlatform(ZooKeeperServer zooKeeper, string root, string apiKey)
    {
        ZooKeeper = zooKeeper;
        _root = root;
        ApiKey = apiKey;
        Prefix = "e2e" + Guid.NewGuid().ToString("N")[..6];
        HostAddress = DockerBridge.GatewayAddress;
    }

    public ZooKeeperServer ZooKeeper { get; }

    public string ApiKey { get; }

    /// <summary>Unique to this platform: host ids start with it.</summary>
    public string Prefix { get; }

    /// <summary>The address containers and the proxy reach published instance ports on (the docker bridge's gateway).</summary>
    public string HostAddress { get; }

    public IReadOnlyList<RoleProcess> Constructors => _constructors;

    public RoleProcess Proxy { get; private set; } = null!;

    public int ProxyPort => Proxy.Port;

    public IReadOnlyList<PlatformHost> Hosts { get; private set; } = [];

    public Uri ApiBaseAddress => _constructors.First(c => !c.Process.HasExited).BaseAddress;

    public static async Task<LocalPlatform> StartAsync(int constructors = 2, CancellationToken cancellationToken = default)
    {
        await DockerEngine.EnsureRunningAsync();
        await LocalImages.ElasticsearchAsync("8.15.0");
        await LocalImages.ElasticsearchAsync("8.16.0");
        var zooKeeper = await ZooKeeperServer.StartAsync(cancellationToken);
        var root = Directory.CreateTempSubdirectory("cloud-e2e-").FullName;
        var platform = new LocalPlatform(zooKeeper, root, "e2e-admin-" + Guid.NewGuid().ToString("N")[..12]);
        platform.Proxy = RoleProcess.Start("Proxy", platform.CommonSettings());
        for (var i = 0; i < constructors; i++)
        {
            platform.StartConstructor();
        }

        // Three hosts in three zones as single-host mode has, plus a spare in zone-3 for remediation to rebuild on.
        platform.Hosts = [.. HostZones.Select((zone, i) => platform.StartHost(i + 1, zone))];
        return platform;
    }

    public RoleProcess StartConstructor()
    {
        var settings = CommonSettings();
        var id = $"{Prefix}-constructor-{_constructors.Count + 1}";
        settings["Constructor:ConstructorId"] = id;
        settings["Api:AdminKey"] = ApiKey;
        settings["Constructor:ProxyEndpointTemplate"] = "http://{cluster_id}.localhost:" + Proxy.Port.ToString(CultureInfo.InvariantCulture);
        settings["Constructor:AllocatorGracePeriod"] = "00:00:20";
        settings["Constructor:DrainPeriod"] = "00:00:02";
        var process = RoleProcess.Start("Constructor", settings);
        _constructors.Add(process);
        _constructorIds[process] = id;
        return process;
    }

    public string ConstructorId(RoleProcess constructor) => _constructorIds[constructor];

    /// <summary>Starts the agents of a host again on its id and data root, as an operator restarting a machine would.</summary>
    public async Task RestartHostAsync(PlatformHost host)
    {
        if (host.Allocator is not null)
        {
            await host.Allocator.DisposeAsync();
        }

        if (host.Runner is not null)
        {
            await host.Runner.DisposeAsync();
        }

        StartAgents(host);
    }

    private PlatformHost StartHost(int index, int zone)
    {
        var hostId = $"{Prefix}-host-{index}";
        var dataRoot = Path.Combine(_root, hostId);
        Directory.CreateDirectory(dataRoot);
        var first = 31000 + (index * 400) + (Random.Shared.Next(0, 40) * 10);
        var host = new PlatformHost(new HostAgentSettings(ZooKeeper.ConnectString, hostId, "zone-" + zone.ToString(CultureInfo.InvariantCulture), dataRoot, first)
        {
            SessionTimeoutSeconds = 6,
            HostAddress = HostAddress,
        });
        StartAgents(host);
        return host;
    }

    private void StartAgents(PlatformHost host)
    {
        // This platform's ZooKeeper, whatever the host was first started with.
        var agents = host.Agents with { ConnectString = ZooKeeper.ConnectString };
        host.Runner = RoleProcess.Start("Runner", agents.Runner());
        host.Allocator = RoleProcess.Start("Allocator", agents.Allocator());
    }

    private Dictionary<string, string> CommonSettings() => new()
    {
        ["ZooKeeper:ConnectString"] = ZooKeeper.ConnectString,
        ["ZooKeeper:SessionTimeoutSeconds"] = "6",
    };

    public async ValueTask DisposeAsync()
    {
        foreach (var host in Hosts)
        {
            await host.DisposeAsync();
        }

        if (Proxy is not null)
        {
            await Proxy.DisposeAsync();
        }

        foreach (var constructor in _constructors)
        {
            await constructor.DisposeAsync();
        }

        await ZooKeeper.DisposeAsync();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Instance data written by containers as another user may outlive us; the temp dir is reclaimed later.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
