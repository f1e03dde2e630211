using System.Globalization;
using Cloud.Testing;

namespace Cloud.Proxy.Tests.Clients;

/// <summary>
/// The project's Elasticsearch-compatible node (src/ElasticsearchNode) as a real process on a free
/// loopback port, a one-node cluster with its own data folder: the backend official clients expect.
/// </summary>
internal sealed class NodeProcess : IAsyncDisposable
{
    private readonly ExternalProcess _process;
    private readonly string _dataPath;

    private NodeProcess(ExternalProcess process, string dataPath, int port)
    {
        _process = process;
        _dataPath = dataPath;
        Port = port;
    }

    public int Port { get; }

    public string Log => string.Join('\n', _process.Output);

    public static async Task<NodeProcess> StartAsync(string name)
    {
        // Built with this test project (a ProjectReference that only orders the build).
        var dll = Path.Combine(RepositoryRoot.Path, "src", "ElasticsearchNode", "bin", BuildConfiguration, "net10.0", "elasticsearch-node.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"Build src/ElasticsearchNode first: {dll} is missing.", dll);
        }

        var port = FreePorts.Next();
        var dataPath = Path.Combine(Path.GetTempPath(), $"proxy-tests-node-{Guid.NewGuid():N}"[..32]);
        var process = ExternalProcess.Start("dotnet", ["exec", dll], new Dictionary<string, string>
        {
            ["node.name"] = name,
            ["path.data"] = dataPath,
            ["http.port"] = port.ToString(CultureInfo.InvariantCulture),
            ["discovery.type"] = "single-node",
            ["DOTNET_ENVIRONMENT"] = "Production",
        });
        var node = new NodeProcess(process, dataPath, port);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            await Eventually.AssertAsync(
                async () =>
                {
                    if (process.HasExited)
                    {
                        throw new InvalidOperationException($"the node exited with {process.ExitCode}:\n{node.Log}");
                    }

                    try
                    {
                        using var response = await client.GetAsync("/_cluster/health?wait_for_status=green&timeout=5s");
                        return response.IsSuccessStatusCode;
                    }
                    catch (HttpRequestException)
                    {
                        return false;
                    }
                },
                TimeSpan.FromMinutes(2),
                $"node {name} to answer on port {port}");
        }
        catch
        {
            await node.DisposeAsync();
            throw;
        }

        return node;
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        if (Directory.Exists(_dataPath))
        {
            Directory.Delete(_dataPath, recursive: true);
        }
    }

    private static string BuildConfiguration =>
#if DEBUG
        "Debug";
#else
        "Release";
#endif
}
