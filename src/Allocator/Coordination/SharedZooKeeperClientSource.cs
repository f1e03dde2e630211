using Cloud.Shared.Hosting;
using Cloud.ZooKeeper;

namespace Cloud.Allocator.Coordination;

/// <summary>The role's shared <see cref="ZooKeeperConnection"/> as the allocator's client source.</summary>
internal sealed class SharedZooKeeperClientSource(ZooKeeperConnection connection) : IZooKeeperClientSource
{
    public Task<ZooKeeperClient> GetClientAsync(CancellationToken cancellationToken) => connection.GetClientAsync(cancellationToken);
}
