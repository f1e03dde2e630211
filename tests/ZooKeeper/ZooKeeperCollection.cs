namespace Cloud.ZooKeeper.Tests;

[CollectionDefinition(Name)]
public sealed class ZooKeeperCollection : ICollectionFixture<ZooKeeperServerFixture>
{
    public const string Name = "shared ZooKeeper server";
}
