using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Cloud.Testing;
using Cloud.ZooKeeper;
using FluentAssertions;
using Xunit;

namespace Cloud.EndToEnd.Tests.Deploy;

/// <summary>
/// deploy/install.sh on a simulated bare host: a scratch root directory (systemd is not PID 1 here, so the
/// script starts the agents exactly as their units' ExecStart would), a real ZooKeeper with a super user and
/// the real constructor issuing the token. The host ends registered in ZooKeeper with its own ACLs, a second
/// run changes no file and no process, and --uninstall removes what was installed and nothing else.
/// </summary>
[Trait("Category", "Integration")]
public sealed class InstallScriptTests : IAsyncLifetime
{
    private const string AdminKey = "install-admin-key";
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(3);

    private readonly ZooKeeperSuperUser _super = new();
    private readonly string _root = Path.Combine(Path.GetTempPath(), "cloud-install-root-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly string _binaries = Path.Combine(Path.GetTempPath(), "cloud-install-bin-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly string _hostId = "bare-" + Guid.NewGuid().ToString("N")[..8];
    private ZooKeeperServer _zooKeeper = null!;
    private RoleProcess _constructor = null!;
    private bool _installed;

    public async Task InitializeAsync()
    {
        _zooKeeper = await ZooKeeperServer.StartAsync([_super.SystemProperty]);
        _constructor = RoleProcess.Start("Constructor", new Dictionary<string, string>
        {
            ["ZooKeeper:ConnectString"] = _zooKeeper.ConnectString,
            ["ZooKeeper:Digest"] = _super.Digest,
            ["Api:AdminKey"] = AdminKey,
        });

        // The prebuilt binaries the script takes instead of publishing (the framework-dependent build, run by its apphost).
        Directory.CreateDirectory(_binaries);
        foreach (var role in new[] { "Runner", "Allocator", "Proxy" })
        {
            Directory.CreateSymbolicLink(Path.Combine(_binaries, role.ToLowerInvariant()), Path.Combine(RepositoryRoot.Path, "src", role, "bin", "Debug", "net10.0"));
        }

        // What the host already had: an operator's file next to ours and a unit of another package.
        Directory.CreateDirectory(Path.Combine(_root, "etc", "cloud"));
        Directory.CreateDirectory(Path.Combine(_root, "etc", "systemd", "system"));
        await File.WriteAllTextAsync(Path.Combine(_root, "etc", "cloud", "operator-notes.txt"), "keep me");
        await File.WriteAllTextAsync(Path.Combine(_root, "etc", "systemd", "system", "other.service"), "[Service]\nExecStart=/bin/true\n");
    }

    [Fact]
    public async Task Install_BareHost_RegistersThenSecondRunChangesNothingAndUninstallRemovesOnlyItsFiles()
    {
        var token = await IssueTokenAsync("runner,allocator");
        var arguments = InstallArguments(token);

        var first = await RunScriptAsync(arguments);

        first.Code.Should().Be(0, first.Output);
        _installed = true;
        first.Output.Should().Contain($"host {_hostId} registered as runner,allocator");
        await using var zooKeeper = await ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions { ConnectString = _zooKeeper.ConnectString });
        foreach (var path in new[] { $"/cloud/runners/{_hostId}", $"/cloud/allocators/{_hostId}" })
        {
            (await zooKeeper.ExistsAsync(path)).Should().NotBeNull(path);

            // Created by the agents with the enrolled identity: writable by this host alone.
            var acl = await zooKeeper.GetAclAsync(path);
            acl.Should().ContainSingle(a => a.Scheme == "digest" && a.Id.StartsWith(_hostId + ":", StringComparison.Ordinal) && a.Permissions == Permissions.All);
            acl.Should().Contain(a => a.Scheme == "world" && a.Permissions == Permissions.Read);
        }

        File.ReadAllText(Path.Combine(_root, "etc", "cloud", "allocator.json")).Should().Contain("\"Zone\": \"zone-2\"");
        new FileInfo(Path.Combine(_root, "etc", "cloud", "runner.env")).UnixFileMode.Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var before = Snapshot();
        var pids = Pids();
        pids.Should().HaveCount(2);

        var second = await RunScriptAsync(arguments);

        second.Code.Should().Be(0, second.Output);
        second.Output.Should().Contain("nothing changed");
        Snapshot().Should().Equal(before);
        Pids().Should().Equal(pids);
        pids.Values.Should().OnlyContain(pid => IsAlive(pid));

        var uninstall = await RunScriptAsync(["--uninstall", "--root", _root]);

        uninstall.Code.Should().Be(0, uninstall.Output);
        _installed = false;
        foreach (var pid in pids.Values)
        {
            await Eventually.AssertAsync(() => Task.FromResult(!IsAlive(pid)), TimeSpan.FromSeconds(60), $"agent pid {pid} to stop");
        }

        await Eventually.AssertAsync(async () => await zooKeeper.ExistsAsync($"/cloud/runners/{_hostId}") is null, TimeSpan.FromSeconds(30), "the runner's registration to go");
        Directory.Exists(Path.Combine(_root, "opt", "cloud")).Should().BeFalse();
        File.Exists(Path.Combine(_root, "etc", "cloud", "runner.json")).Should().BeFalse();
        File.Exists(Path.Combine(_root, "etc", "cloud", "allocator.env")).Should().BeFalse();
        File.Exists(Path.Combine(_root, "etc", "systemd", "system", "cloud-runner.service")).Should().BeFalse();
        File.ReadAllText(Path.Combine(_root, "etc", "cloud", "operator-notes.txt")).Should().Be("keep me");
        File.Exists(Path.Combine(_root, "etc", "systemd", "system", "other.service")).Should().BeTrue();
        Directory.Exists(Path.Combine(_root, "var", "lib", "cloud", "data")).Should().BeTrue("instance data is never removed");
    }

    [Fact]
    public async Task Install_ProxyHost_RegistersWithItsOwnAclAndUninstallStopsIt()
    {
        var token = await IssueTokenAsync("proxy");

        var run = await RunScriptAsync(
        [
            "--root", _root, "--roles", "proxy", "--zone", "zone-1", "--zookeeper", _zooKeeper.ConnectString,
            "--api", _constructor.BaseAddress.ToString(), "--token", token, "--host-id", _hostId, "--binaries", _binaries,
            "--env", string.Create(CultureInfo.InvariantCulture, $"proxy:URLS=http://127.0.0.1:{FreePorts.Next()}"),
        ]);

        run.Code.Should().Be(0, run.Output);
        _installed = true;
        await using var zooKeeper = await ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions { ConnectString = _zooKeeper.ConnectString });
        var acl = await zooKeeper.GetAclAsync($"/cloud/proxies/{_hostId}");
        acl.Should().ContainSingle(a => a.Scheme == "digest" && a.Id.StartsWith(_hostId + ":", StringComparison.Ordinal));
        var pid = Pids().Should().ContainSingle().Subject.Value;

        var uninstall = await RunScriptAsync(["--uninstall", "--root", _root]);

        uninstall.Code.Should().Be(0, uninstall.Output);
        _installed = false;
        await Eventually.AssertAsync(() => Task.FromResult(!IsAlive(pid)), TimeSpan.FromSeconds(60), "the proxy to stop");
        await Eventually.AssertAsync(async () => await zooKeeper.ExistsAsync($"/cloud/proxies/{_hostId}") is null, TimeSpan.FromSeconds(30), "the proxy's registration to go");
    }

    [Fact]
    public async Task Install_TokenWithoutTheRole_RefusedWithNothingStarted()
    {
        var token = await IssueTokenAsync("runner");

        var run = await RunScriptAsync(InstallArguments(token));

        run.Code.Should().Be(3, run.Output);
        run.Output.Should().Contain("enrollment.role_not_allowed");
        Directory.Exists(Path.Combine(_root, "opt", "cloud")).Should().BeFalse();
        Directory.Exists(Path.Combine(_root, "run", "cloud")).Should().BeFalse();
        File.Exists(Path.Combine(_root, "etc", "cloud", "runner.env")).Should().BeFalse();
    }

    public async Task DisposeAsync()
    {
        if (_installed)
        {
            await RunScriptAsync(["--uninstall", "--root", _root]);
        }

        await _constructor.DisposeAsync();
        await _zooKeeper.DisposeAsync();
        Directory.Delete(_binaries, recursive: true);
        Directory.Delete(_root, recursive: true);
    }

    private string[] InstallArguments(string token) =>
    [
        "--root", _root,
        "--roles", "runner,allocator",
        "--zone", "zone-2",
        "--zookeeper", _zooKeeper.ConnectString,
        "--api", _constructor.BaseAddress.ToString(),
        "--token", token,
        "--host-id", _hostId,
        "--host-address", "127.0.0.1",
        "--memory-mb", "2048",
        "--binaries", _binaries,
        "--env", string.Create(CultureInfo.InvariantCulture, $"runner:URLS=http://127.0.0.1:{FreePorts.Next()}"),
        "--env", string.Create(CultureInfo.InvariantCulture, $"allocator:URLS=http://127.0.0.1:{FreePorts.Next()}"),
        "--wait-seconds", "120",
    ];

    private async Task<string> IssueTokenAsync(string roles)
    {
        using var http = new HttpClient { BaseAddress = _constructor.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        await Eventually.AssertAsync(
            async () => (await http.GetAsync(new Uri("/health", UriKind.Relative))).IsSuccessStatusCode,
            TimeSpan.FromSeconds(90),
            "the constructor to answer /health");
        var body = $"{{\"roles\":[{string.Join(',', roles.Split(',').Select(r => $"\"{r}\""))}],\"validity_seconds\":600}}";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/platform/configuration/security/enrollment-tokens")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("ApiKey", AdminKey);
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).Should().Be(201, text);
        using var document = JsonDocument.Parse(text);
        return document.RootElement.GetProperty("token").GetString()!;
    }

    // The framework-dependent apphosts find the runtime in DOTNET_ROOT (a published, self-contained build needs nothing).
    private static Task<(int Code, string Output)> RunScriptAsync(IEnumerable<string> arguments) =>
        ExternalProcess.RunToEndAsync(
            "bash",
            [Path.Combine(RepositoryRoot.Path, "deploy", "install.sh"), .. arguments],
            ScriptTimeout,
            new Dictionary<string, string> { ["DOTNET_ROOT"] = Path.GetDirectoryName(Path.GetFullPath(Environment.ProcessPath!))! });

    /// <summary>Hash and modification time of every installed file (logs, which the agents append to, and instance data aside).</summary>
    private SortedDictionary<string, string> Snapshot()
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(_root, file);
            if (relative.StartsWith("var/log/", StringComparison.Ordinal) || relative.StartsWith("var/lib/cloud/data/", StringComparison.Ordinal))
            {
                continue;
            }

            var info = new FileInfo(file);
            files[relative] = $"{Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file)))} {info.LastWriteTimeUtc.Ticks} {info.UnixFileMode}";
        }

        return files;
    }

    private SortedDictionary<string, int> Pids()
    {
        var pids = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var directory = Path.Combine(_root, "run", "cloud");
        foreach (var file in Directory.Exists(directory) ? Directory.EnumerateFiles(directory, "*.pid") : [])
        {
            pids[Path.GetFileName(file)] = int.Parse(File.ReadAllText(file).Trim(), CultureInfo.InvariantCulture);
        }

        return pids;
    }

    /// <summary>Running, and not a zombie waiting to be reaped (the agents' parent, the script, is gone).</summary>
    private static bool IsAlive(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat))
        {
            return false;
        }

        try
        {
            var text = File.ReadAllText(stat);
            return text[(text.LastIndexOf(')') + 2)..].FirstOrDefault() is not 'Z' and not 'X';
        }
        catch (IOException)
        {
            return false;
        }
    }
}
