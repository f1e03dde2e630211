namespace Cloud.ZooKeeper.Tests;

/// <summary>The shared server with short sessions, so the client's tests of expiry and reconnection stay quick.</summary>
public sealed class ZooKeeperServerFixture : Cloud.Testing.ZooKeeperServerFixture
{
    protected override TimeSpan DefaultSessionTimeout => TimeSpan.FromSeconds(4);
}
