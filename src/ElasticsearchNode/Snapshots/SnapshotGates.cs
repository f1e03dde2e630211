using System.Collections.Concurrent;

namespace Cloud.ElasticsearchNode.Snapshots;

/// <summary>
/// One gate per snapshot (repository and name): creating, deleting and restoring the same snapshot run one at a
/// time, so none sees another's half-written files, while different snapshots proceed side by side (each writes
/// only its own <c>snap-{name}.json</c> and its own uuid's directory).
/// </summary>
internal sealed class SnapshotGates : IDisposable
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);

    public async Task<IDisposable> EnterAsync(string repository, string name, CancellationToken cancellationToken)
    {
        var gate = _gates.GetOrAdd(repository + "/" + name, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        return new Entered(gate);
    }

    public void Dispose()
    {
        foreach (var gate in _gates.Values)
        {
            gate.Dispose();
        }
    }

    private sealed class Entered(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
        }
    }
}
