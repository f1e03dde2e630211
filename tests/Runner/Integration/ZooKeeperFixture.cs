using Cloud.Testing;
using Cloud.ZooKeeper;
using Xunit;

namespace Cloud.Runner.Tests.Integration;

/// <summary>One ZooKeeper server, the Docker Engine and the local Elasticsearch image, shared by the runner's integration tests.</summary>
public sealed class ZooKeeperFixture : IAsyncLifetime
{
    private ZooKeeperServer? _server;
    private ZooKeeperClient? _client;

    public ZooKeeperServer Server => _server ?? throw new InvalidOperationException("not started");

    internal ZooKeeperClient Client => _client ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        await DockerEngine.EnsureRunningAsync();
        await LocalImages.ElasticsearchAsync("8.15.0");
        _server = await ZooKeeperServer.StartAsync();
        _client = await ConnectAsync(_server.ConnectString);
    }

    public async Task DisposeAsync()
    {
        if (_client is not null)
        {
            await _client.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    internal static Task<ZooKeeperClient> ConnectAsync(string connectString) =>
        ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions { ConnectString = connectString, SessionTimeout = TimeSpan.FromSeconds(10) });
}

[CollectionDefinition(Name)]
public sealed class RunnerIntegrationCollection : ICollectionFixture<ZooKeeperFixture>
{
    public const string Name = "Runner integration";
}
