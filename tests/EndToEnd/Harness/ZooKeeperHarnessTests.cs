using Cloud.Testing;
using FluentAssertions;
using Xunit;

namespace Cloud.EndToEnd.Tests.Harness;

/// <summary>The test harness itself: real ZooKeeper servers start, stop and come back as tests need.</summary>
[Trait("Category", "Integration")]
public sealed class ZooKeeperHarnessTests
{
    [Fact]
    public async Task StandaloneServer_StopAndStartAgain_ServesOnSamePortWithSameData()
    {
        await using var server = await ZooKeeperServer.StartAsync();
        (await server.TryFourLetterWordAsync("srvr")).Should().Contain("Mode: standalone");
        var dataDir = server.Directory;

        await server.StopAsync();
        (await server.TryFourLetterWordAsync("srvr")).Should().BeNull("nothing listens while the server is stopped");

        await server.StartAgainAsync();
        (await server.TryFourLetterWordAsync("srvr")).Should().Contain("Mode: standalone");
        server.Directory.Should().Be(dataDir);
        Directory.Exists(dataDir).Should().BeTrue();
    }

    [Fact]
    public async Task Ensemble_ThreeServers_ElectOneLeaderAndSurviveLosingOne()
    {
        await using var ensemble = await ZooKeeperEnsemble.StartAsync(3);
        var modes = await Task.WhenAll(ensemble.Members.Select(m => m.TryFourLetterWordAsync("srvr")));
        modes.Count(m => m!.Contains("Mode: leader", StringComparison.Ordinal)).Should().Be(1);
        modes.Count(m => m!.Contains("Mode: follower", StringComparison.Ordinal)).Should().Be(2);

        var leader = ensemble.Members.Single(m => modes[ensemble.Members.ToList().IndexOf(m)]!.Contains("Mode: leader", StringComparison.Ordinal));
        await leader.StopAsync();

        var survivors = ensemble.Members.Where(m => m != leader).ToList();
        await Eventually.AssertAsync(
            async () =>
            {
                var after = await Task.WhenAll(survivors.Select(m => m.TryFourLetterWordAsync("srvr")));
                return after.Count(m => m is not null && m.Contains("Mode: leader", StringComparison.Ordinal)) == 1
                    && after.Count(m => m is not null && m.Contains("Mode: follower", StringComparison.Ordinal)) == 1;
            },
            TimeSpan.FromSeconds(30),
            "the two survivors, a majority, to elect a new leader");
        ensemble.Members.Select(m => m.Directory).Should().OnlyHaveUniqueItems();
    }
}
