namespace Cloud.Constructor.Tests.Support;

/// <summary>
/// A platform of its own for the leader-crash tests, which stop and kill its constructors: three hosts,
/// one per zone, and one cluster that every boundary's plan changes in turn.
/// </summary>
public sealed class LeaderCrashPlatformFixture : PlatformFixture
{
    private string? _clusterId;

    protected override IReadOnlyList<string> HostZones => ["zone-1", "zone-2", "zone-3"];

    /// <summary>The cluster the boundaries' plans change, created by the first test that asks.</summary>
    public async Task<string> ClusterAsync() => _clusterId ??= await CreateClusterAsync("crash");
}
