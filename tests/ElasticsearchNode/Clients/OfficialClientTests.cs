using Cloud.ElasticsearchNode.Tests.Harness;
using Cloud.Testing;
using FluentAssertions;
using Xunit;

namespace Cloud.ElasticsearchNode.Tests.Clients;

/// <summary>
/// The official clients, run as a user runs them, against a node container built from the project's
/// image: Debian's python3-elasticsearch 7.17 and npm's @elastic/elasticsearch 9.x (product check on).
/// </summary>
[Trait("Category", "Integration")]
public sealed class OfficialClientTests
{
    private static readonly string Scripts = Path.Combine(AppContext.BaseDirectory, "Clients");

    [Fact]
    public async Task PythonClient717_SmokeScript_EveryCallSucceeds()
    {
        await using var node = await NodeContainer.StartAsync();

        var (exitCode, output) = await RunAsync("/usr/bin/python3", [Path.Combine(Scripts, "python_smoke.py"), node.Url], null, TimeSpan.FromMinutes(5));

        exitCode.Should().Be(0, output + "\nnode log:\n" + await node.LogsAsync());
        output.Should().Contain("OK");
    }

    [Fact]
    public async Task JavaScriptClient9_SmokeScript_EveryCallSucceeds()
    {
        var folder = Path.Combine(Path.GetTempPath(), "es1-js-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        try
        {
            var (installed, installOutput) = await RunAsync("npm", ["install", "--no-audit", "--no-fund", "--silent", "@elastic/elasticsearch@9"], folder, TimeSpan.FromMinutes(5));
            installed.Should().Be(0, installOutput);
            File.Copy(Path.Combine(Scripts, "js_smoke.mjs"), Path.Combine(folder, "js_smoke.mjs"));
            await using var node = await NodeContainer.StartAsync();

            var (exitCode, output) = await RunAsync("node", [Path.Combine(folder, "js_smoke.mjs"), node.Url], folder, TimeSpan.FromMinutes(5));

            exitCode.Should().Be(0, output + "\nnode log:\n" + await node.LogsAsync());
            output.Should().Contain("OK");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string[] arguments, string? workingDirectory, TimeSpan timeout)
    {
        await using var process = ExternalProcess.Start(file, arguments, workingDirectory: workingDirectory);
        var exited = await process.WaitForExitAsync(timeout);
        var output = string.Join('\n', process.Output);
        return exited ? (process.ExitCode, output) : (-1, "timed out\n" + output);
    }
}
