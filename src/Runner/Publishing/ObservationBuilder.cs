using System.Collections.Immutable;
using Cloud.Runner.Docker;
using Cloud.Runner.Reconcile;
using Cloud.Shared.Containers;

namespace Cloud.Runner.Publishing;

/// <summary>
/// Turns a reconcile pass into what is published per definition at <c>/cloud/inspect/&lt;host_id&gt;/&lt;name&gt;</c>:
/// the container as observed, or why there is none (refused, failed, not created yet).
/// </summary>
internal static class ObservationBuilder
{
    public static ImmutableSortedDictionary<string, ContainerObservation> Build(ReconcilePass pass, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(pass);
        var owned = pass.Owned.GroupBy(c => c.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var observations = ImmutableSortedDictionary.CreateBuilder<string, ContainerObservation>(StringComparer.Ordinal);
        foreach (var (name, desired) in pass.Desired.Containers)
        {
            var container = owned.GetValueOrDefault(name);
            var failure = pass.Failures.GetValueOrDefault(name);
            observations[name] = Observe(desired, container, failure, now);
        }

        return observations.ToImmutable();
    }

    public static ContainerObservation Observe(DesiredContainer desired, RuntimeContainerState? container, ActionOutcome? failure, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(desired);
        var observation = container is null
            ? new ContainerObservation { State = ContainerStates.Missing, ObservedAt = now }
            : new ContainerObservation
            {
                State = container.Status,
                Health = container.Health,
                StartedAt = container.StartedAt,
                ExitCode = container.ExitCode,
                RestartCount = container.RestartCount,
                DefinitionHash = container.DefinitionHash,
                Ports = container.Ports,
                ContainerId = container.Id,
                Image = container.Image,
                ObservedAt = now,
            };

        if (desired.IsRefused)
        {
            return observation with { State = ContainerStates.Refused, Error = string.Join("; ", desired.Errors) };
        }

        if (failure is { Succeeded: false })
        {
            var state = failure.IsRefusal ? ContainerStates.Refused : container is null ? ContainerStates.Failed : observation.State;
            return observation with { State = state, Error = failure.Error };
        }

        return observation;
    }
}
