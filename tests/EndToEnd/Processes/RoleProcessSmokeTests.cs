using System.Net;
using System.Text.Json;
using Cloud.Testing;
using FluentAssertions;
using Xunit;

namespace Cloud.EndToEnd.Tests.Processes;

/// <summary>Every role starts, logs structured JSON, answers its health endpoint and stops cleanly on SIGTERM.</summary>
[Trait("Category", "Integration")]
public sealed class RoleProcessSmokeTests
{
    public static TheoryData<string> Roles => new() { "Constructor", "Allocator", "Runner", "Proxy" };

    [Theory]
    [MemberData(nameof(Roles))]
    public async Task Start_ThenSigterm_AnswersHealthLogsJsonAndExitsCleanly(string role)
    {
        await using var zooKeeper = await ZooKeeperServer.StartAsync();
        await DockerEngine.EnsureRunningAsync();
        var hostId = "smoke-" + Guid.NewGuid().ToString("N")[..8];
        var dataRoot = Directory.CreateTempSubdirectory("cloud-smoke-").FullName;
        await using var process = RoleProcess.Start(role, new Dictionary<string, string>
        {
            ["ZooKeeper:ConnectString"] = zooKeeper.ConnectString,
            ["Runner:HostId"] = hostId,
            ["Runner:DataRoot"] = dataRoot,
            ["Allocator:AllocatorId"] = hostId,
            ["Allocator:Zone"] = "zone-1",
            ["Allocator:HostAddress"] = "127.0.0.1",
            ["Allocator:DataRoot"] = dataRoot,
            ["Allocator:MemoryCapacityMb"] = "4096",
        });

        using var http = new HttpClient { BaseAddress = process.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var health = await Eventually.GetAsync(
            async () =>
            {
                if (process.Process.HasExited)
                {
                    throw new InvalidOperationException($"{role} exited early:\n{string.Join('\n', process.Process.Output)}");
                }

                var response = await http.GetAsync(new Uri("/health", UriKind.Relative));
                return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadAsStringAsync() : null;
            },
            TimeSpan.FromSeconds(60),
            $"{role} to answer /health");

        health.Should().Contain(role.ToLowerInvariant());

        process.Process.Terminate();
        var exited = await process.Process.WaitForExitAsync(TimeSpan.FromSeconds(30));

        exited.Should().BeTrue($"{role} should stop within 30 s of SIGTERM");
        process.Process.ExitCode.Should().Be(0, string.Join('\n', process.Process.Output));
        var lines = process.Process.Output.Where(l => l.StartsWith('{')).ToList();
        lines.Should().NotBeEmpty("the role logs structured JSON on stdout");
        foreach (var line in lines)
        {
            using var document = JsonDocument.Parse(line);
            document.RootElement.TryGetProperty("@t", out _).Should().BeTrue(line);
            document.RootElement.GetProperty("role").GetString().Should().Be(role.ToLowerInvariant());
        }

        process.Process.Output.Where(l => !l.StartsWith('{') && l.Trim().Length > 0)
            .Should().BeEmpty("every line a role writes is a JSON log event");
        Directory.Delete(dataRoot, recursive: true);
    }

    [Fact]
    public async Task Start_InvalidOptions_LogsEveryProblemAndExitsWithCode2()
    {
        await using var process = RoleProcess.Start("Allocator", new Dictionary<string, string>
        {
            ["ZooKeeper:ConnectString"] = "127.0.0.1:1",
            ["Allocator:AllocatorId"] = "Not A Valid Id",
        });

        var exited = await process.Process.WaitForExitAsync(TimeSpan.FromSeconds(30));

        exited.Should().BeTrue("a role with invalid options must not start");
        process.Process.ExitCode.Should().Be(2, string.Join('\n', process.Process.Output));
        var fatal = process.Process.Output.Where(l => l.StartsWith('{') && l.Contains("Invalid configuration", StringComparison.Ordinal)).ToList();
        fatal.Should().ContainSingle().Which.Should().Contain("Zone").And.Contain("HostAddress");
        process.Process.Output.Should().NotContain(l => l.Contains("Unhandled exception", StringComparison.Ordinal));
    }
}
