using System.Globalization;
using Cloud.Testing;

namespace Cloud.Constructor.Tests.Support;

/// <summary>A simulated host: its real runner and allocator processes, sharing a data root.</summary>
public sealed class PlatformHost : IAsyncDisposable
{
    private readonly string _connectString;
    private readonly int _firstPort;

    public PlatformHost(string connectString, string hostId, string zone, string dataRoot, int firstPort)
    {
        _connectString = connectString;
        HostId = hostId;
        Zone = zone;
        DataRoot = dataRoot;
        _firstPort = firstPort;
        Directory.CreateDirectory(dataRoot);
    }

    public string HostId { get; }

    public string Zone { get; }

    public string DataRoot { get; }

    public RoleProcess? Runner { get; private set; }

    public RoleProcess? Allocator { get; private set; }

    public void Start()
    {
        Runner = RoleProcess.Start("Runner", new Dictionary<string, string>
        {
            ["ZooKeeper:ConnectString"] = _connectString,
            ["ZooKeeper:SessionTimeoutSeconds"] = "4",
            ["Runner:HostId"] = HostId,
            ["Runner:DataRoot"] = DataRoot,
        });
        Allocator = RoleProcess.Start("Allocator", new Dictionary<string, string>
        {
            ["ZooKeeper:ConnectString"] = _connectString,
            ["ZooKeeper:SessionTimeoutSeconds"] = "4",
            ["Allocator:AllocatorId"] = HostId,
            ["Allocator:Zone"] = Zone,
            ["Allocator:HostAddress"] = DockerBridge.GatewayAddress,
            ["Allocator:PortBindIp"] = DockerBridge.GatewayAddress,
            ["Allocator:MemoryCapacityMb"] = "8192",
            ["Allocator:DataRoot"] = DataRoot,
            ["Allocator:PortRange"] = string.Create(CultureInfo.InvariantCulture, $"{_firstPort}-{_firstPort + 99}"),
            ["Allocator:ImageTemplate"] = "cloud/elasticsearch:{version}",
            ["Allocator:StopTimeoutSeconds"] = "5",
            ["Allocator:ProbeInterval"] = "00:00:01",
            ["Allocator:ProbeTimeout"] = "00:00:02",
        });
    }

    /// <summary>Kills both processes at once, as a host that loses power (containers stay, orphaned).</summary>
    public async Task KillAsync()
    {
        await Task.WhenAll(Kill(Allocator), Kill(Runner));
        Allocator = null;
        Runner = null;

        static async Task Kill(RoleProcess? process)
        {
            if (process is not null)
            {
                await process.Process.KillAsync();
                await process.DisposeAsync();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Allocator is not null)
        {
            await Allocator.DisposeAsync();
        }

        if (Runner is not null)
        {
            await Runner.DisposeAsync();
        }

        await DockerEngine.RemoveContainersLabelledAsync("cloud.runner.host=" + HostId);
    }
}
