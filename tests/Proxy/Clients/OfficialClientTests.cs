using Cloud.Proxy.Tests.Integration;
using Cloud.Testing;
using FluentAssertions;
using Xunit;

namespace Cloud.Proxy.Tests.Clients;

/// <summary>
/// The official Elasticsearch clients, run as users run them, through the real proxy to the project's
/// real node: npm's @elastic/elasticsearch 9 (product check on; it sends a constructor header twice,
/// as written and lower-cased) and Debian's python3-elasticsearch 7.17, by header and by Host name.
/// </summary>
[Collection(ProxyIntegrationCollection.Name)]
[Trait("Category", "Integration")]
public sealed class OfficialClientTests(ProxyFixture fixture) : IAsyncLifetime
{
    private static readonly string Scripts = Path.Combine(AppContext.BaseDirectory, "Clients");

    private NodeProcess? _node;

    private NodeProcess Node => _node ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() => _node = await NodeProcess.StartAsync("proxy-client-node");

    public async Task DisposeAsync()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }
    }

    [Fact]
    public async Task JavaScriptClient9_ByHeader_EveryCallSucceeds()
    {
        var folder = await JavaScriptClient.InstallAsync();
        var clusterId = await ClusterOnNodeAsync();

        var (exitCode, output) = await RunAsync("node", Path.Combine(Scripts, "js_through_proxy.mjs"), new Dictionary<string, string>
        {
            ["ES_URL"] = $"http://127.0.0.1:{fixture.Proxy.Port}",
            ["CLUSTER_ID"] = clusterId,
            ["ES_INDEX"] = "js-by-header",
            ["CLIENT_DIR"] = folder,
        });

        exitCode.Should().Be(0, output + "\nnode log:\n" + Node.Log);
        output.Should().Contain("OK");
    }

    [Theory]
    [InlineData("X-Found-Cluster")]
    [InlineData("Host")]
    public async Task PythonClient717_ByHeaderOrHost_EveryCallSucceeds(string addressedBy)
    {
        var clusterId = await ClusterOnNodeAsync();

        var (exitCode, output) = await RunAsync("/usr/bin/python3", Path.Combine(Scripts, "python_through_proxy.py"), new Dictionary<string, string>
        {
            ["ES_URL"] = $"http://127.0.0.1:{fixture.Proxy.Port}",
            ["ES_HEADER_NAME"] = addressedBy,
            ["ES_HEADER_VALUE"] = addressedBy == "Host" ? $"{clusterId}.localhost:{fixture.Proxy.Port}" : clusterId,
            ["CLUSTER_ID"] = clusterId,
            ["ES_INDEX"] = "py-" + addressedBy.ToLowerInvariant(),
        });

        exitCode.Should().Be(0, output + "\nnode log:\n" + Node.Log);
        output.Should().Contain("OK");
    }

    private async Task<string> ClusterOnNodeAsync()
    {
        var clusterId = $"c{Guid.NewGuid():N}"[..12];
        await fixture.Writer.WriteInstanceAsync(ClusterWriter.Instance(clusterId, "instance-0", Node.Port, ProxyFixture.AllocatorId));
        await Eventually.AssertAsync(
            () => Task.FromResult(fixture.Proxy.Routes.TryGet(clusterId, out var route) && route.All.Length == 1),
            TimeSpan.FromSeconds(10),
            $"the proxy to route {clusterId}");
        return clusterId;
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string command, string script, IReadOnlyDictionary<string, string> environment)
    {
        await using var process = ExternalProcess.Start(command, [script], environment);
        var exited = await process.WaitForExitAsync(TimeSpan.FromMinutes(5));
        var output = string.Join('\n', process.Output);
        return exited ? (process.ExitCode, output) : (-1, "timed out\n" + output);
    }
}
