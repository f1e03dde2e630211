using Cloud.Testing;
using Cloud.ZooKeeper;
using Xunit;

namespace Cloud.Proxy.Tests.Integration;

/// <summary>
/// One real ZooKeeper, one proxy and one allocator registration shared by the routing tests; each
/// test uses its own cluster ids, so they don't see each other.
/// </summary>
public sealed class ProxyFixture : IAsyncLifetime
{
    public const string AllocatorId = "alloc-1";

    private ZooKeeperServer? _server;
    private ZooKeeperClient? _client;
    private ProxyHost? _proxy;

    public ZooKeeperServer Server => _server ?? throw new InvalidOperationException("not started");

    internal ZooKeeperClient Client => _client ?? throw new InvalidOperationException("not started");

    internal ProxyHost Proxy => _proxy ?? throw new InvalidOperationException("not started");

    internal ClusterWriter Writer => new(Client);

    public async Task InitializeAsync()
    {
        _server = await ZooKeeperServer.StartAsync();
        _client = await ConnectAsync(_server.ConnectString);
        await Writer.RegisterAllocatorAsync(AllocatorId);
        _proxy = await ProxyHost.StartAsync(_server.ConnectString, new Dictionary<string, string> { ["Proxy:TrustedProxies:0"] = "127.0.0.1/32" });
    }

    public async Task DisposeAsync()
    {
        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
        }

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
        ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions { ConnectString = connectString, SessionTimeout = TimeSpan.FromSeconds(30) });
}

[CollectionDefinition(Name)]
public sealed class ProxyIntegrationCollection : ICollectionFixture<ProxyFixture>
{
    public const string Name = "Proxy integration";
}
