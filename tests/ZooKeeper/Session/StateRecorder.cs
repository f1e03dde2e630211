using System.Collections.Concurrent;

namespace Cloud.ZooKeeper.Tests.Session;

/// <summary>Records a client's connection state changes.</summary>
internal sealed class StateRecorder
{
    private readonly ConcurrentQueue<ConnectionStateChange> _changes = new();

    public StateRecorder(ZooKeeperClient client) => client.ConnectionStateChanged += _changes.Enqueue;

    public IReadOnlyList<ConnectionStateChange> Changes => [.. _changes];

    public Task<bool> SawAsync(Func<ConnectionStateChange, bool> predicate, TimeSpan timeout) =>
        Eventually.TrueAsync(() => _changes.Any(predicate), timeout);
}
