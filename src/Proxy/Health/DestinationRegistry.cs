using System.Collections.Concurrent;

namespace Cloud.Proxy.Health;

/// <summary>
/// One <see cref="DestinationState"/> per backend address, shared by every route that points at it,
/// so a failure seen through one cluster's route takes the address out for all of them and survives
/// route recomputation.
/// </summary>
internal sealed class DestinationRegistry
{
    private readonly ConcurrentDictionary<string, DestinationState> _states = new(StringComparer.OrdinalIgnoreCase);

    public DestinationState Get(string host, int port) =>
        _states.GetOrAdd($"{host}:{port}", static (_, hp) => new DestinationState(hp.host, hp.port), (host, port));

    /// <summary>The destinations currently out of rotation (for the prober).</summary>
    public IEnumerable<DestinationState> Failed => _states.Values.Where(s => !s.IsHealthy);

    public int Count => _states.Count;
}
