using FluentAssertions;

namespace Cloud.ZooKeeper.Tests.Session;

/// <summary>
/// A server that comes back with less data than the client saw (wiped, or restored from an older copy)
/// refuses to resume the session; the client must then open a new session from zxid 0, not stay out forever.
/// Each test restarts a server of its own.
/// </summary>
[Trait("Category", "Integration")]
public sealed class RestoredServerTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ServerRestartedWithEmptyDataDir_ClientOpensNewSessionAndWorks()
    {
        await using var server = await ZooKeeperServer.StartAsync();
        await using var client = await Connect(server);
        var states = new StateRecorder(client);
        for (var i = 0; i < 20; i++)
        {
            await client.CreateAsync($"/n{i}", []);
        }

        var oldSession = client.SessionId;

        await server.StopAsync();
        Directory.Delete(DataDir(server), recursive: true);
        await server.StartAgainAsync();

        (await states.SawAsync(c => c.State == ConnectionState.Connected && c.IsNewSession && c.SessionId != oldSession, Wait)).Should().BeTrue(
            string.Join(", ", states.Changes));
        await client.CreateAsync("/after-wipe", []);
        (await client.ExistsAsync("/n0")).Should().BeNull("the data is gone");
        (await client.ExistsAsync("/after-wipe")).Should().NotBeNull();
    }

    [Fact]
    public async Task ServerRestoredFromOlderData_ClientOpensNewSessionAndSeesTheOlderData()
    {
        await using var server = await ZooKeeperServer.StartAsync();
        await using var client = await Connect(server);
        var states = new StateRecorder(client);
        await client.CreateAsync("/before-backup", []);
        var backup = Path.Combine(server.Directory, "backup");
        CopyDirectory(DataDir(server), backup);
        for (var i = 0; i < 20; i++)
        {
            await client.CreateAsync($"/after-backup-{i}", []);
        }

        var oldSession = client.SessionId;

        await server.StopAsync();
        Directory.Delete(DataDir(server), recursive: true);
        CopyDirectory(backup, DataDir(server));
        await server.StartAgainAsync();

        (await states.SawAsync(c => c.State == ConnectionState.Connected && c.IsNewSession && c.SessionId != oldSession, Wait)).Should().BeTrue(
            string.Join(", ", states.Changes));
        (await client.ExistsAsync("/before-backup")).Should().NotBeNull();
        (await client.ExistsAsync("/after-backup-19")).Should().BeNull("the server went back to the copy");
        await client.CreateAsync("/after-restore", []);
        (await client.ExistsAsync("/after-restore")).Should().NotBeNull();
    }

    private static Task<ZooKeeperClient> Connect(ZooKeeperServer server) =>
        ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions
        {
            ConnectString = server.ConnectString,
            SessionTimeout = TimeSpan.FromSeconds(2),
            RequestTimeout = Wait,
        });

    private static string DataDir(ZooKeeperServer server) => Path.Combine(server.Directory, "data", "version-2");

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }
}
