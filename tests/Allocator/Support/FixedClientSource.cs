using Cloud.Allocator.Coordination;
using Cloud.ZooKeeper;

namespace Cloud.Allocator.Tests.Support;

internal sealed class FixedClientSource(ZooKeeperClient client) : IZooKeeperClientSource
{
    public Task<ZooKeeperClient> GetClientAsync(CancellationToken cancellationToken) => Task.FromResult(client);
}
