using System.Collections.Immutable;
using Cloud.Runner.Docker;
using Cloud.Runner.Hosting;
using Microsoft.Extensions.Options;

namespace Cloud.Runner.Reconcile;

/// <summary>
/// What the runner remembers of its own restarts, per container name. Held as an immutable map
/// swapped atomically, so a pass can read a consistent snapshot while restarts are recorded.
/// (Memory only: a runner that restarts starts counting again; Docker's own count is added on publish.)
/// </summary>
internal sealed class RestartBook(IOptions<RunnerOptions> options)
{
    private readonly RunnerOptions _options = options.Value;
    private ImmutableDictionary<string, RestartRecord> _records = ImmutableDictionary<string, RestartRecord>.Empty.WithComparers(StringComparer.Ordinal);

    public ImmutableDictionary<string, RestartRecord> Current => Volatile.Read(ref _records);

    public RestartRecord RecordRestart(string name, string containerId, DateTimeOffset now) =>
        ImmutableInterlocked.AddOrUpdate(
            ref _records,
            name,
            _ => Next(containerId, 0, 0, now),
            (_, old) => old.ContainerId == containerId ? Next(containerId, old.Attempts, old.Total, now) : Next(containerId, 0, 0, now));

    /// <summary>The runner's restarts of this very container.</summary>
    public int RestartsOf(string name, string containerId) =>
        Current.TryGetValue(name, out var record) && record.ContainerId == containerId ? record.Total : 0;

    /// <summary>Forgets names without a definition or container, and starts the backoff over for containers that ran long enough.</summary>
    public void Prune(IReadOnlyDictionary<string, DesiredContainer> desired, IReadOnlyCollection<RuntimeContainerState> owned, DateTimeOffset now)
    {
        var byName = owned.GroupBy(c => c.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var builder = Current.ToBuilder();
        foreach (var (name, record) in Current)
        {
            if (!desired.ContainsKey(name) || !byName.TryGetValue(name, out var container) || container.Id != record.ContainerId)
            {
                builder.Remove(name);
            }
            else if (record.Attempts > 0 && container.Status == "running" && container.StartedAt is { } started && now - started >= _options.RestartBackoffResetAfter)
            {
                builder[name] = record with { Attempts = 0, NextAttemptAt = now };
            }
        }

        Volatile.Write(ref _records, builder.ToImmutable());
    }

    private RestartRecord Next(string containerId, int attempts, int total, DateTimeOffset now) =>
        new(containerId, attempts + 1, total + 1, now + RestartBackoff.Delay(attempts + 1, _options.RestartBackoffInitial, _options.RestartBackoffMax, Random.Shared.NextDouble()));
}
