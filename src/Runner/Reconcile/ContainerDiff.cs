using System.Collections.Immutable;
using Cloud.Runner.Docker;
using Cloud.Shared.Containers;

namespace Cloud.Runner.Reconcile;

/// <summary>
/// The pure heart of the runner: desired definitions and the containers it owns in, one decision per
/// name out. Level based and idempotent: the same inputs give the same actions, and applying them
/// brings the engine to a state for which the diff answers <see cref="ContainerActionKind.Keep"/>.
/// </summary>
internal static class ContainerDiff
{
    public static ImmutableArray<ContainerAction> Compute(
        IReadOnlyDictionary<string, DesiredContainer> desired,
        IEnumerable<RuntimeContainerState> owned)
    {
        ArgumentNullException.ThrowIfNull(desired);
        var observed = owned.GroupBy(c => c.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var actions = ImmutableArray.CreateBuilder<ContainerAction>();
        foreach (var name in desired.Keys.Union(observed.Keys).Order(StringComparer.Ordinal))
        {
            var definition = desired.GetValueOrDefault(name);
            var container = observed.GetValueOrDefault(name);
            actions.Add(Decide(name, definition, container));
        }

        return actions.ToImmutable();
    }

    private static ContainerAction Decide(string name, DesiredContainer? desired, RuntimeContainerState? observed)
    {
        if (desired is null)
        {
            return new ContainerAction(ContainerActionKind.Remove, name, "its definition was deleted", Observed: observed);
        }

        if (desired.IsRefused)
        {
            return new ContainerAction(ContainerActionKind.Refuse, name, string.Join("; ", desired.Errors), desired, observed);
        }

        if (observed is null)
        {
            return new ContainerAction(ContainerActionKind.Create, name, "no container yet", desired);
        }

        if (observed.DefinitionHash != desired.Hash)
        {
            return new ContainerAction(ContainerActionKind.Recreate, name, $"definition changed ({observed.DefinitionHash ?? "none"} -> {desired.Hash})", desired, observed);
        }

        return observed.Status switch
        {
            "running" or "restarting" or "paused" or "removing" => new ContainerAction(ContainerActionKind.Keep, name, observed.Status, desired, observed),
            "created" => new ContainerAction(ContainerActionKind.Start, name, "created but not started", desired, observed),
            "dead" => new ContainerAction(ContainerActionKind.Recreate, name, "the engine reports it dead", desired, observed),
                        // Docker's restart policy is the one owner of restarts (src/Runner/README.md): it restarts with its own
            // backoff, counts in the container's RestartCount, and goes on while the runner is down. A container
            // it leaves exited (policy no, on-failure limit reached, stopped by hand) stays exited.
            _ => new ContainerAction(ContainerActionKind.LeaveExited, name, $"exited with code {observed.ExitCode}; restarts are Docker's restart policy's ({desired.Spec!.HostConfig?.RestartPolicy?.Name ?? RestartPolicySpec.No})", desired, observed),
        };
    }
}
