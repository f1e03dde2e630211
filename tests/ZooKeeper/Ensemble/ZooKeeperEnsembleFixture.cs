using Cloud.Testing;

namespace Cloud.ZooKeeper.Tests.Ensemble;

/// <summary>One real three-server ensemble shared by the ensemble tests; each test leaves every member running.</summary>
public sealed class ZooKeeperEnsembleFixture : IAsyncLifetime
{
    private ZooKeeperEnsemble? _ensemble;

    public ZooKeeperEnsemble Ensemble => _ensemble ?? throw new InvalidOperationException("Ensemble not started.");

    public async Task InitializeAsync() => _ensemble = await ZooKeeperEnsemble.StartAsync(3);

    public async Task DisposeAsync()
    {
        if (_ensemble is not null)
        {
            await _ensemble.DisposeAsync();
        }
    }

    public Task<ZooKeeperClient> ConnectAsync(TimeSpan sessionTimeout) =>
        ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions
        {
            ConnectString = Ensemble.ConnectString,
            SessionTimeout = sessionTimeout,
            RequestTimeout = TimeSpan.FromSeconds(15),
            ConnectTimeout = TimeSpan.FromSeconds(30),
        });
}
