using Cloud.Testing;

namespace Cloud.ZooKeeper.Tests;

/// <summary>One real standalone ZooKeeper server shared by the tests that do not stop it; each test uses its own root path.</summary>
public sealed class ZooKeeperServerFixture : IAsyncLifetime
{
    private ZooKeeperServer? _server;

    public ZooKeeperServer Server => _server ?? throw new InvalidOperationException("Server not started.");

    public string ConnectString => Server.ConnectString;

    public async Task InitializeAsync() => _server = await ZooKeeperServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    public Task<ZooKeeperClient> ConnectAsync(string? chroot = null, TimeSpan? sessionTimeout = null) =>
        ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions
        {
            ConnectString = ConnectString + (chroot ?? string.Empty),
            SessionTimeout = sessionTimeout ?? TimeSpan.FromSeconds(4),
            RequestTimeout = TimeSpan.FromSeconds(10),
        });

    public static string UniqueRoot() => "/t-" + Guid.NewGuid().ToString("N")[..10];
}
