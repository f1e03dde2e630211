using System.Diagnostics;
using Cloud.Testing;
using FluentAssertions;
using Xunit;

namespace Cloud.EndToEnd.Tests.Harness;

/// <summary>deploy/local/down.sh stops only what its up.sh started: the dockerd by the pid it recorded, never by name.</summary>
[Trait("Category", "Integration")]
public sealed class DeployScriptTests : IDisposable
{
    private readonly string _state = Path.Combine(Path.GetTempPath(), "cloud-down-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly List<Process> _fakes = [];

    [Fact]
    public async Task Down_DockerdStartedByUp_OnlyThatPidStoppedOtherDockerdsAndTheEngineUntouched()
    {
        await DockerEngine.EnsureRunningAsync();
        Directory.CreateDirectory(Path.Combine(_state, "pids"));

        // Two processes named dockerd (copies of sleep): the one up.sh recorded, and someone else's.
        var ours = StartFakeDockerd();
        var theirs = StartFakeDockerd();
        await File.WriteAllTextAsync(Path.Combine(_state, "pids", "dockerd.pid"), ours.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var output = await RunDownAsync();

        await ours.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        ours.HasExited.Should().BeTrue(output);
        theirs.HasExited.Should().BeFalse("down.sh must not stop a dockerd it did not start");
        (await DockerEngine.CliAsync("version", "--format", "{{.Server.Version}}")).Should().NotBeNullOrWhiteSpace("the engine other tests use keeps running");
        File.Exists(Path.Combine(_state, "pids", "dockerd.pid")).Should().BeFalse();
    }

    public void Dispose()
    {
        foreach (var fake in _fakes)
        {
            if (!fake.HasExited)
            {
                fake.Kill();
            }

            fake.Dispose();
        }

        Directory.Delete(_state, recursive: true);
    }

    private Process StartFakeDockerd()
    {
        var binary = Path.Combine(_state, "bin-" + _fakes.Count, "dockerd");
        Directory.CreateDirectory(Path.GetDirectoryName(binary)!);
        File.Copy("/bin/sleep", binary);
        var process = Process.Start(new ProcessStartInfo(binary, "600") { UseShellExecute = false })!;
        _fakes.Add(process);
        return process;
    }

    private async Task<string> RunDownAsync()
    {
        var info = new ProcessStartInfo("bash", [Path.Combine(RepositoryRoot.Path, "deploy", "local", "down.sh")])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["CLOUD_LOCAL_STATE"] = _state;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return await stdout + await stderr;
    }
}
