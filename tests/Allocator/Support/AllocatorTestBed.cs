using System.Globalization;
using Cloud.Shared.Allocators;
using Cloud.Shared.Containers;
using Cloud.Shared.Coordination;
using Cloud.Shared.Serialization;
using Cloud.Testing;
using Cloud.ZooKeeper;
using Xunit.Abstractions;

namespace Cloud.Allocator.Tests.Support;

/// <summary>
/// What an allocator integration test needs: unique ids, a temporary data root, an observer session
/// to play the constructor and the operator, and readers for the end state in ZooKeeper.
/// </summary>
internal sealed class AllocatorTestBed : IAsyncDisposable
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private readonly List<RunningAllocator> _allocators = [];

    private AllocatorTestBed(string connectString, ZooKeeperClient observer, ITestOutputHelper output)
    {
        ConnectString = connectString;
        Observer = observer;
        Output = output;
        AllocatorId = "test-" + Guid.NewGuid().ToString("N")[..8];
        ClusterId = "c" + Guid.NewGuid().ToString("N")[..10];
        DataRoot = Path.Combine(Path.GetTempPath(), "cloud-alloc-" + AllocatorId);
        Directory.CreateDirectory(DataRoot);
        var first = 30000 + (Random.Shared.Next(0, 150) * 200);
        PortRange = string.Create(CultureInfo.InvariantCulture, $"{first}-{first + 199}");
    }

    public string ConnectString { get; }

    public ZooKeeperClient Observer { get; }

    public ITestOutputHelper Output { get; }

    public string AllocatorId { get; }

    public string HostId => AllocatorId;

    public string ClusterId { get; }

    public string DataRoot { get; }

    public string PortRange { get; }

    public static async Task<AllocatorTestBed> CreateAsync(string connectString, ITestOutputHelper output)
    {
        var observer = await ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions { ConnectString = connectString, SessionTimeout = TimeSpan.FromSeconds(10) });
        return new AllocatorTestBed(connectString, observer, output);
    }

    public Dictionary<string, string?> Options(long capacityMb = 4096) => new()
    {
        ["AllocatorId"] = AllocatorId,
        ["Zone"] = "zone-1",
        ["HostAddress"] = "127.0.0.1",
        ["PortBindIp"] = "127.0.0.1",
        ["MemoryCapacityMb"] = capacityMb.ToString(CultureInfo.InvariantCulture),
        ["DataRoot"] = DataRoot,
        ["PortRange"] = PortRange,
        ["ImageTemplate"] = "cloud/elasticsearch:{version}",
        ["StopTimeoutSeconds"] = "5",
        ["ProbeInterval"] = "00:00:01",
        ["ProbeTimeout"] = "00:00:01",
        ["Tags:disk"] = "ssd",
    };

    public async Task<RunningAllocator> StartAllocatorAsync(Dictionary<string, string?>? settings = null, TimeSpan? sessionTimeout = null)
    {
        var allocator = await RunningAllocator.StartAsync(ConnectString, settings ?? Options(), Output, sessionTimeout);
        _allocators.Add(allocator);
        return allocator;
    }

    public static InstanceAssignment Assignment(string clusterId, string instanceName, long memoryMb = 1024, params string[] initialMasters) => new()
    {
        ClusterId = clusterId,
        ClusterName = "logs-" + clusterId,
        InstanceName = instanceName,
        Version = "8.15.0",
        MemoryMb = memoryMb,
        Zone = "zone-1",
        InitialMasterNodes = [.. initialMasters],
    };

    public string InstanceId(string instanceName) => $"{ClusterId}-{instanceName}";

    public string ContainerName(string instanceName) => $"es-{ClusterId}-{instanceName}";

    public string DefinitionPath(string instanceName) => CloudPaths.Container(HostId, ContainerName(instanceName));

    public string StatusPath(string instanceName) => CloudPaths.Instance(ClusterId, instanceName);

    /// <summary>Plays the constructor: writes (or rewrites) an assignment.</summary>
    public Task AssignAsync(InstanceAssignment assignment) =>
        Observer.UpsertAsync(CloudPaths.Assignment(AllocatorId, $"{assignment.ClusterId}-{assignment.InstanceName}"), CloudJson.Serialize(assignment));

    public Task UnassignAsync(string instanceName) => Observer.DeleteAsync(CloudPaths.Assignment(AllocatorId, InstanceId(instanceName)));

    public async Task<(T Value, Stat Stat)?> ReadAsync<T>(string path, Func<byte[], T> parse)
    {
        try
        {
            var node = await Observer.GetDataAsync(path);
            return (parse(node.Data), node.Stat);
        }
        catch (NoNodeException)
        {
            return null;
        }
    }

    public Task<(AllocatorRegistration Value, Stat Stat)?> RegistrationAsync() =>
        ReadAsync(CloudPaths.Allocator(AllocatorId), d => CloudJson.Deserialize<AllocatorRegistration>(d));

    public Task<(ContainerSpec Value, Stat Stat)?> DefinitionAsync(string instanceName) =>
        ReadAsync(DefinitionPath(instanceName), d => ContainerSpecJson.Deserialize(d));

    public Task<(InstanceStatus Value, Stat Stat)?> StatusAsync(string instanceName) =>
        ReadAsync(StatusPath(instanceName), d => CloudJson.Deserialize<InstanceStatus>(d));

    public Task<(Dictionary<string, Dictionary<string, int>> Value, Stat Stat)?> PortsAsync() =>
        ReadAsync(CloudPaths.PortsOf(MachineKey.For("127.0.0.1"), AllocatorId), d => CloudJson.Deserialize<Dictionary<string, Dictionary<string, int>>>(d));

    public static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe, string what)
        where T : struct =>
        (T)await Eventually.GetAsync<object>(async () => await probe() is { } value ? value : null, Wait, what, TimeSpan.FromMilliseconds(100));

    public async ValueTask DisposeAsync()
    {
        foreach (var allocator in _allocators)
        {
            await allocator.DisposeAsync();
        }

        await Observer.DisposeAsync();
        try
        {
            Directory.Delete(DataRoot, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Files written by containers as another user: harmless leftovers in /tmp.
        }
    }
}
