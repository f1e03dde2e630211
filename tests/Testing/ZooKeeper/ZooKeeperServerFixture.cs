using Cloud.ZooKeeper;
using Xunit;

namespace Cloud.Testing;

/// <summary>
/// One real standalone ZooKeeper server shared by a test class or collection that never stops it;
/// every test works under paths or ids of its own.
/// </summary>
public class ZooKeeperServerFixture : IAsyncLifetime
{
    private ZooKeeperServer? _server;

    public ZooKeeperServer Server => _server ?? throw new InvalidOperationException("The ZooKeeper server is not started.");

    public string ConnectString => Server.ConnectString;

    /// <summary>The session timeout of <see cref="ConnectAsync"/> when a test names none.</summary>
    protected virtual TimeSpan DefaultSessionTimeout => TimeSpan.FromSeconds(10);

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
            SessionTimeout = sessionTimeout ?? DefaultSessionTimeout,
            RequestTimeout = TimeSpan.FromSeconds(10),
        });

    public static string UniqueRoot() => "/t-" + Guid.NewGuid().ToString("N")[..10];
}
