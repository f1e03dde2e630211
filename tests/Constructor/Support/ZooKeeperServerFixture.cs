using Cloud.Testing;
using Xunit;

namespace Cloud.Constructor.Tests.Support;

/// <summary>One real ZooKeeper server for a test class that needs nothing else of the platform.</summary>
public sealed class ZooKeeperServerFixture : IAsyncLifetime
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
}
