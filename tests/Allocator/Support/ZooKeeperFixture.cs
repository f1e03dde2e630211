using Cloud.Testing;
using Cloud.ZooKeeper;
using Xunit;

namespace Cloud.Allocator.Tests.Support;

/// <summary>One real ZooKeeper server shared by a test collection; every test uses ids of its own.</summary>
public sealed class ZooKeeperFixture : IAsyncLifetime
{
    private ZooKeeperServer? _server;

    public ZooKeeperServer Server => _server ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() => _server = await ZooKeeperServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    internal Task<ZooKeeperClient> ConnectAsync() =>
        ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions { ConnectString = Server.ConnectString, SessionTimeout = TimeSpan.FromSeconds(10) });
}

[CollectionDefinition(Name)]
public sealed class ZooKeeperCollection : ICollectionFixture<ZooKeeperFixture>
{
    public const string Name = "zookeeper";
}
