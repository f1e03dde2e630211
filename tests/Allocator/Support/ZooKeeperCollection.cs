using Cloud.Testing;
using Xunit;

namespace Cloud.Allocator.Tests.Support;

/// <summary>One real ZooKeeper server shared by the allocator's integration tests; every test uses ids of its own.</summary>
[CollectionDefinition(Name)]
public sealed class ZooKeeperCollection : ICollectionFixture<ZooKeeperServerFixture>
{
    public const string Name = "zookeeper";
}
