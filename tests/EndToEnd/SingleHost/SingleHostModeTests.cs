using System.Diagnostics;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Cloud.Testing;
using FluentAssertions;
using Xunit;

namespace Cloud.EndToEnd.Tests.SingleHost;

/// <summary>The README's first command, as a user runs it: up.sh --demo, again, then down.sh.</summary>
[Trait("Category", "Integration")]
public sealed partial class SingleHostModeTests
{
    private static readonly string[] HostLabels = ["cloud.runner.host=host-1", "cloud.runner.host=host-2", "cloud.runner.host=host-3"];

    [Fact]
    public async Task UpDemo_RunTwiceThenDown_ServesDemoClusterChangesNothingAndStopsEverything()
    {
        var state = Directory.CreateTempSubdirectory("cloud-local-").FullName;
        var environment = new Dictionary<string, string>
        {
            ["CLOUD_LOCAL_STATE"] = state,
            ["CLOUD_API_PORT"] = FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["CLOUD_PROXY_PORT"] = FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["CLOUD_ZK_PORT"] = FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        try
        {
            var first = await RunScriptAsync("up.sh", environment, "--demo");
            first.ExitCode.Should().Be(0, first.Output);
            first.Output.Should().Contain("host-1 (zone-1), host-2 (zone-2), host-3 (zone-3)");
            first.Output.Should().NotContain("Not yet registering");

            var url = CurlLine().Match(first.Output);
            url.Success.Should().BeTrue(first.Output);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(url.Groups["url"].Value));
            request.Headers.Add("X-Found-Cluster", url.Groups["cluster"].Value);
            using var response = await http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            body.Should().Contain("\"cluster_name\":\"demo\"").And.Contain("You Know, for Search");
            var containersBefore = await ContainerIdsAsync();
            containersBefore.Should().HaveCount(3, "one demo instance per zone");

            var second = await RunScriptAsync("up.sh", environment, "--demo");
            second.ExitCode.Should().Be(0, second.Output);
            second.Output.Should().NotContain("up: started").And.Contain("already running");
            (await ContainerIdsAsync()).Should().BeEquivalentTo(containersBefore, "running up.sh again changes nothing");

            var down = await RunScriptAsync("down.sh", environment);
            down.ExitCode.Should().Be(0, down.Output);
            (await ContainerIdsAsync()).Should().BeEmpty();
            Directory.GetFiles(Path.Combine(state, "pids"), "*.pid").Should().BeEmpty();
            IsListening(int.Parse(environment["CLOUD_ZK_PORT"], System.Globalization.CultureInfo.InvariantCulture)).Should().BeFalse();
            IsListening(int.Parse(environment["CLOUD_API_PORT"], System.Globalization.CultureInfo.InvariantCulture)).Should().BeFalse();
        }
        finally
        {
            await RunScriptAsync("down.sh", environment);
            Directory.Delete(state, recursive: true);
        }
    }

    [Fact]
    public async Task Up_PortTakenBySomeoneElse_RefusesBeforeBuildingAndStartsNothing()
    {
        var state = Directory.CreateTempSubdirectory("cloud-local-").FullName;
        using var squatter = new TcpListener(System.Net.IPAddress.Loopback, 0);
        squatter.Start();
        var apiPort = ((System.Net.IPEndPoint)squatter.LocalEndpoint).Port;
        var environment = new Dictionary<string, string>
        {
            ["CLOUD_LOCAL_STATE"] = state,
            ["CLOUD_API_PORT"] = apiPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["CLOUD_PROXY_PORT"] = FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["CLOUD_ZK_PORT"] = FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        try
        {
            var up = await RunScriptAsync("up.sh", environment, "--demo");

            up.ExitCode.Should().Be(1, up.Output);
            up.Output.Should().Contain($"{apiPort} (constructor)", "the constructor's port is held by another process")
                .And.NotContain("up: building", "it refuses before the build")
                .And.NotContain("up: started");
            Directory.GetFiles(Path.Combine(state, "pids"), "*.pid").Should().BeEmpty("nothing was started");
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }

    [Fact]
    public async Task WaitHealth_RoleExitedBeforeAnswering_NamesTheRoleAndShowsItsLogsLastLines()
    {
        var state = Directory.CreateTempSubdirectory("cloud-local-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(state, "pids"));
            Directory.CreateDirectory(Path.Combine(state, "logs"));
            using (var gone = Process.Start("true")!)
            {
                await gone.WaitForExitAsync();
                await File.WriteAllTextAsync(Path.Combine(state, "pids", "proxy.pid"), gone.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            await File.WriteAllTextAsync(Path.Combine(state, "logs", "proxy.log"), "starting\nUnhandled exception. System.IO.IOException: address already in use\n");
            var common = Path.Combine(RepositoryRoot.Path, "deploy", "local", "common.sh");
            var info = new ProcessStartInfo("bash") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add($"source '{common}' && wait_health proxy http://127.0.0.1:{FreePorts.Next()}");
            info.Environment["CLOUD_LOCAL_STATE"] = state;
            using var process = Process.Start(info)!;
            var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();

            process.ExitCode.Should().Be(1, output);
            output.Should().Contain("up: proxy exited before answering").And.Contain("address already in use", "the role's own last words say why");
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }

    private static async Task<IReadOnlyList<string>> ContainerIdsAsync()
    {
        var ids = new List<string>();
        foreach (var label in HostLabels)
        {
            var output = await DockerEngine.CliAsync("ps", "-aq", "--no-trunc", "--filter", "label=" + label);
            ids.AddRange(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }

        return ids;
    }

    private static bool IsListening(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    // up.sh builds before it starts anything (minutes of CPU on a fresh clone: Release builds, a Native AOT publish,
    // the node image); a run past this is killed and its output shown, before test.sh's 15-minute hang dump
    // would end the whole test process.
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(12);

    private static Task<(int ExitCode, string Output)> RunScriptAsync(string script, IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        ExternalProcess.RunToEndAsync("bash", [Path.Combine(RepositoryRoot.Path, "deploy", "local", script), .. arguments], ScriptTimeout, environment);

    [GeneratedRegex(@"curl -H 'X-Found-Cluster: (?<cluster>[^']+)' (?<url>http://[0-9.]+:[0-9]+/)")]
    private static partial Regex CurlLine();
}
