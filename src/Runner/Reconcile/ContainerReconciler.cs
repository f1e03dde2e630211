using System.Collections.Immutable;
using Cloud.Runner.Docker;
using Cloud.Runner.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cloud.Runner.Reconcile;

/// <summary>
/// One reconcile pass: observe the owned containers, diff them against the definitions, apply the
/// changes (a few at a time), observe again. Acts only on an authoritative snapshot; otherwise it
/// only observes, so that losing ZooKeeper never stops, recreates or removes anything.
/// </summary>
internal sealed partial class ContainerReconciler(
    IContainerRuntime runtime,
    ContainerActionApplier applier,
    IOptions<RunnerOptions> options,
    ILogger<ContainerReconciler> logger)
{
    private readonly RunnerOptions _options = options.Value;
    private ImmutableDictionary<string, ActionOutcome> _failures = ImmutableDictionary<string, ActionOutcome>.Empty.WithComparers(StringComparer.Ordinal);
    private ImmutableHashSet<string> _known = ImmutableHashSet<string>.Empty;

    public async Task<ReconcilePass> ReconcileAsync(DesiredSnapshot desired, CancellationToken cancellationToken)
    {
        var owned = await runtime.ListOwnedAsync(_options.HostId, cancellationToken);
        NoteAdoptions(owned);
        if (!desired.IsAuthoritative)
        {
            return new ReconcilePass(desired, owned, _failures, []);
        }

        var actions = ContainerDiff.Compute(desired.Containers, owned);
        var changes = actions.Where(a => a.IsChange).ToArray();
        var outcomes = new List<ActionOutcome>();
        if (changes.Length > 0)
        {
            await Parallel.ForEachAsync(
                changes,
                new ParallelOptions { MaxDegreeOfParallelism = _options.MaxParallelActions, CancellationToken = cancellationToken },
                async (action, ct) =>
                {
                    if (await applier.ApplyAsync(action, ct) is { } outcome)
                    {
                        lock (outcomes)
                        {
                            outcomes.Add(outcome);
                        }
                    }
                });
            owned = await runtime.ListOwnedAsync(_options.HostId, cancellationToken);
            NoteAdoptions(owned);
        }

        _failures = UpdateFailures(_failures, outcomes, desired);
        return new ReconcilePass(desired, owned, _failures, actions);
    }

    private static ImmutableDictionary<string, ActionOutcome> UpdateFailures(
        ImmutableDictionary<string, ActionOutcome> failures, List<ActionOutcome> outcomes, DesiredSnapshot desired)
    {
        var builder = failures.ToBuilder();
        foreach (var outcome in outcomes)
        {
            if (outcome.Succeeded)
            {
                builder.Remove(outcome.Name);
            }
            else
            {
                builder[outcome.Name] = outcome;
            }
        }

        foreach (var (name, failure) in failures)
        {
            if (!desired.Containers.TryGetValue(name, out var definition) || definition.Hash != failure.Hash)
            {
                builder.Remove(name);
            }
        }

        return builder.ToImmutable();
    }

    private void NoteAdoptions(ImmutableArray<RuntimeContainerState> owned)
    {
        foreach (var container in owned.Where(c => !_known.Contains(c.Id)))
        {
            LogObserved(container.Name, container.Id, container.Status, container.DefinitionHash);
        }

        _known = [.. owned.Select(c => c.Id)];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Observing container {Name} ({ContainerId}, {Status}, definition {Hash})")]
    private partial void LogObserved(string name, string containerId, string status, string? hash);
}
