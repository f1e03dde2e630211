using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Cloud.Testing;

namespace Cloud.ElasticsearchNode.Tests.Harness;

/// <summary>A node container from the image <c>scripts/build-es-images.sh</c> builds, on a free loopback port.</summary>
public sealed class NodeContainer : IAsyncDisposable
{
    private NodeContainer(string name, int port)
    {
        Name = name;
        Port = port;
        Url = $"http://127.0.0.1:{port}";
        Http = new HttpClient { BaseAddress = new Uri(Url + "/"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public string Name { get; }

    public int Port { get; }

    public string Url { get; }

    public HttpClient Http { get; }

    public static Task<NodeContainer> StartAsync(params string[] environment) => StartWithMemoryLimitAsync(null, environment);

    /// <summary>A node container whose memory Docker caps at <paramref name="memoryLimit"/> (e.g. <c>1g</c>), as the allocator does.</summary>
    public static async Task<NodeContainer> StartWithMemoryLimitAsync(string? memoryLimit, params string[] environment)
    {
        // The image of this worktree's run (ES_TEST_OWNER), as the cluster tests take it: never the shared product tag.
        var image = await LocalImages.ElasticsearchAsync(ContainerCluster.ImageVersion);
        var container = new NodeContainer("es1-test-" + Guid.NewGuid().ToString("N")[..8], FreePorts.Next());
        var arguments = new List<string> { "run", "-d", "--name", container.Name, "--label", "cloud.test=es1", "-p", $"127.0.0.1:{container.Port}:9200",
            "-e", "node.name=" + container.Name, "-e", "cluster.name=es1-test" };
        if (memoryLimit is not null)
        {
            arguments.AddRange(["--memory", memoryLimit, "--memory-swap", memoryLimit]);
        }

        foreach (var variable in environment)
        {
            arguments.AddRange(["-e", variable]);
        }

        arguments.Add(image);
        await DockerEngine.CliAsync([.. arguments]);
        await container.WaitUntilAnsweringAsync();
        return container;
    }

    public Task WaitUntilAnsweringAsync() => Eventually.AssertAsync(async () =>
    {
        using var response = await Http.GetAsync(new Uri("/", UriKind.Relative));
        return response.IsSuccessStatusCode;
    }, TimeSpan.FromSeconds(60), $"container {Name} to answer GET /");

    /// <summary><c>docker kill</c> (SIGKILL: no shutdown, no flush) then <c>docker start</c> on the same filesystem.</summary>
    public async Task KillAndRestartAsync()
    {
        await DockerEngine.CliAsync("kill", Name);
        await DockerEngine.CliAsync("start", Name);
        await WaitUntilAnsweringAsync();
    }

    /// <summary>The node's last log lines, for failure messages: a client's broken connection says nothing of why.</summary>
    public Task<string> LogsAsync() => DockerEngine.CliAsync("logs", "--tail", "40", Name);

    public async Task<JsonNode> GetJsonAsync(string path) =>
        (await Http.GetFromJsonAsync<JsonNode>(new Uri(path, UriKind.Relative)))!;

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await DockerEngine.CliAsync("rm", "-f", Name);
    }
}
