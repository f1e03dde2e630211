using System.Globalization;
using Cloud.Testing;
using Xunit;

namespace Cloud.Cli.Tests;

/// <summary>
/// A real ZooKeeper (with a super user, so the constructor can issue enrollment tokens), the real
/// constructor process with an admin key, and one real allocator process registered in zone-1.
/// </summary>
public sealed class RealConstructorFixture : IAsyncLifetime
{
    public const string AdminKey = "cli-admin-key";
    public const string AllocatorId = "cli-allocator-1";

    private readonly string _dataRoot = Path.Combine(Path.GetTempPath(), "cloudctl-data-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly ZooKeeperSuperUser _super = new();
    private ZooKeeperServer? _zooKeeper;
    private RoleProcess? _constructor;
    private RoleProcess? _allocator;

    public Uri Url => _constructor!.BaseAddress;

    public async Task InitializeAsync()
    {
        _zooKeeper = await ZooKeeperServer.StartAsync([_super.SystemProperty]);
        _constructor = RoleProcess.Start("Constructor", new Dictionary<string, string>
        {
            ["ZooKeeper:ConnectString"] = _zooKeeper.ConnectString,
            ["ZooKeeper:Digest"] = _super.Digest,
            ["Api:AdminKey"] = AdminKey,
        });
        Directory.CreateDirectory(_dataRoot);
        var firstPort = FreePorts.Next();
        _allocator = RoleProcess.Start("Allocator", new Dictionary<string, string>
        {
            ["ZooKeeper:ConnectString"] = _zooKeeper.ConnectString,
            ["Allocator:AllocatorId"] = AllocatorId,
            ["Allocator:Zone"] = "zone-1",
            ["Allocator:HostAddress"] = "127.0.0.1",
            ["Allocator:MemoryCapacityMb"] = "4096",
            ["Allocator:DataRoot"] = _dataRoot,
            ["Allocator:PortRange"] = string.Create(CultureInfo.InvariantCulture, $"{firstPort}-{firstPort + 49}"),
            ["Allocator:ImageTemplate"] = "cloud/elasticsearch:{version}",
        });

        // Ready once the API lists the allocator (cloudctl itself asks, through the real HTTP path).
        await Eventually.AssertAsync(
            async () =>
            {
                var run = await RunAsync("allocator", "list", "-o", "json");
                return run.ExitCode == 0 && run.Output.Contains(AllocatorId, StringComparison.Ordinal);
            },
            TimeSpan.FromSeconds(120),
            "the constructor to list the allocator");
    }

    /// <summary>cloudctl with this constructor's URL and admin key from the environment, as a script would set them.</summary>
    public Task<CliRun> RunAsync(params string[] args) =>
        CliRun.RunAsync(
            new Dictionary<string, string> { ["CLOUD_API_URL"] = Url.ToString(), ["CLOUD_API_KEY"] = AdminKey },
            null,
            args);

    public async Task DisposeAsync()
    {
        if (_allocator is not null)
        {
            await _allocator.DisposeAsync();
        }

        if (_constructor is not null)
        {
            await _constructor.DisposeAsync();
        }

        if (_zooKeeper is not null)
        {
            await _zooKeeper.DisposeAsync();
        }

        if (Directory.Exists(_dataRoot))
        {
            Directory.Delete(_dataRoot, recursive: true);
        }
    }
}
