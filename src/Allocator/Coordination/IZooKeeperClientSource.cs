using Cloud.ZooKeeper;

namespace Cloud.Allocator.Coordination;

/// <summary>Hands out the process's one ZooKeeper session (connected lazily, renewed by the client after expiry).</summary>
internal interface IZooKeeperClientSource
{
    Task<ZooKeeperClient> GetClientAsync(CancellationToken cancellationToken);
}
