using System.Globalization;
using System.Text;

namespace Cloud.Testing;

/// <summary>A real ZooKeeper ensemble of several servers on loopback, each a process of its own.</summary>
public sealed class ZooKeeperEnsemble : IAsyncDisposable
{
    private ZooKeeperEnsemble(IReadOnlyList<ZooKeeperServer> members) => Members = members;

    public IReadOnlyList<ZooKeeperServer> Members { get; }

    public string ConnectString => string.Join(',', Members.Select(m => m.ConnectString));

    public static async Task<ZooKeeperEnsemble> StartAsync(int size = 3, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        var clientPorts = Enumerable.Range(0, size).Select(_ => FreePorts.Next()).ToArray();
        var quorum = new StringBuilder();
        for (var i = 0; i < size; i++)
        {
            quorum.AppendLine(CultureInfo.InvariantCulture, $"server.{i + 1}=127.0.0.1:{FreePorts.Next()}:{FreePorts.Next()}");
        }

        var members = clientPorts.Select((port, i) => ZooKeeperServer.Create(port, i + 1, quorum.ToString())).ToArray();
        var ensemble = new ZooKeeperEnsemble(members);
        try
        {
            await ensemble.StartAllAgainAsync(cancellationToken);
        }
        catch
        {
            await ensemble.DisposeAsync();
            throw;
        }

        return ensemble;
    }

    /// <summary>Starts every stopped member together (a quorum needs a majority up) and waits until all serve.</summary>
    public async Task StartAllAgainAsync(CancellationToken cancellationToken = default)
    {
        foreach (var member in Members)
        {
            member.Launch();
        }

        await Task.WhenAll(Members.Select(m => m.WaitUntilServingAsync(cancellationToken)));
    }

    public async Task StopAllAsync()
    {
        foreach (var member in Members)
        {
            await member.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var member in Members)
        {
            await member.DisposeAsync();
        }
    }
}
