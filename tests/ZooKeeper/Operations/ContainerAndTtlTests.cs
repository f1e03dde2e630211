using FluentAssertions;

namespace Cloud.ZooKeeper.Tests.Operations;

/// <summary>
/// Container and TTL nodes against a server of their own whose container sweep runs every 100 ms
/// (instead of every minute) and that has TTL nodes enabled.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ContainerAndTtlTests(ContainerAndTtlTests.SweepingServer sweeping) : IClassFixture<ContainerAndTtlTests.SweepingServer>
{
    private ZooKeeperClient Client => sweeping.Client;

    [Fact]
    public async Task Container_LastChildDeleted_ServerDeletesItButNotAPersistentNode()
    {
        await Client.CreateAsync("/box", [], CreateMode.Container);
        await Client.MultiAsync([Op.Create("/box/inner", [], CreateMode.Container)]);
        await Client.CreateAsync("/box/inner/item", []);
        await Client.CreateAsync("/plain", []);
        await Client.CreateAsync("/plain/item", []);

        await Client.DeleteAsync("/box/inner/item");
        await Client.DeleteAsync("/plain/item");

        (await Eventually.TrueAsync(async () => await Client.ExistsAsync("/box") is null, TimeSpan.FromSeconds(20)))
            .Should().BeTrue("the container sweep deletes an emptied container, then its emptied container parent");
        (await Client.ExistsAsync("/plain")).Should().NotBeNull("a persistent node is never swept");
    }

    [Fact]
    public async Task CreateWithTtl_Unchanged_ServerDeletesItAfterTtl()
    {
        var created = await Client.CreateWithTtlAsync("/lease-", [1], TimeSpan.FromMilliseconds(200), sequential: true);
        await Client.CreateWithTtlAsync("/long", [1], TimeSpan.FromHours(1));

        created.Should().MatchRegex("^/lease-[0-9]{10}$");
        (await Eventually.TrueAsync(async () => await Client.ExistsAsync(created) is null, TimeSpan.FromSeconds(20))).Should().BeTrue();
        (await Client.ExistsAsync("/long")).Should().NotBeNull("its TTL is far away");
    }

    [Fact]
    public async Task CreateWithTtl_BadTtl_RefusedWithoutARequest()
    {
        await Client.Invoking(c => c.CreateWithTtlAsync("/bad", [], TimeSpan.Zero)).Should().ThrowAsync<ArgumentOutOfRangeException>();

        (await Client.ExistsAsync("/bad")).Should().BeNull();
    }

    public sealed class SweepingServer : IAsyncLifetime
    {
        private ZooKeeperServer? _server;
        private ZooKeeperClient? _client;

        public ZooKeeperClient Client => _client ?? throw new InvalidOperationException("Not started.");

        public async Task InitializeAsync()
        {
            _server = await ZooKeeperServer.StartAsync(["-Dznode.container.checkIntervalMs=100", "-Dzookeeper.extendedTypesEnabled=true"]);
            _client = await ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions { ConnectString = _server.ConnectString });
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
    }
}
