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
        IEnumerable<RuntimeContainerState> owned,
        IReadOnlyDictionary<string, RestartRecord> restarts,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(desired);
        var observed = owned.GroupBy(c => c.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var actions = ImmutableArray.CreateBuilder<ContainerAction>();
        foreach (var name in desired.Keys.Union(observed.Keys).Order(StringComparer.Ordinal))
        {
            var definition = desired.GetValueOrDefault(name);
            var container = observed.GetValueOrDefault(name);
            actions.Add(Decide(name, definition, container, restarts.GetValueOrDefault(name), now));
        }

        return actions.ToImmutable();
    }

    private static ContainerAction Decide(string name, DesiredContainer? desired, RuntimeContainerState? observed, RestartRecord? restart, DateTimeOffset now)
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
            _ => DecideExited(name, desired, observed, restart, now),
        };
    }

    private static ContainerAction DecideExited(string name, DesiredContainer desired, RuntimeContainerState observed, RestartRecord? restart, DateTimeOffset now)
    {
        var policy = desired.Spec!.HostConfig?.RestartPolicy;
        var attempts = restart?.ContainerId == observed.Id ? restart.Attempts : 0;
        switch (policy?.Name ?? RestartPolicySpec.No)
        {
            case RestartPolicySpec.No:
                return new ContainerAction(ContainerActionKind.LeaveExited, name, "restart policy is no", desired, observed);
            case RestartPolicySpec.OnFailure when observed.ExitCode == 0:
                return new ContainerAction(ContainerActionKind.LeaveExited, name, "exited cleanly and restart policy is on-failure", desired, observed);
            case RestartPolicySpec.OnFailure when policy!.MaximumRetryCount is > 0 and var max && attempts + observed.RestartCount >= max:
                return new ContainerAction(ContainerActionKind.LeaveExited, name, $"on-failure retry limit {max} reached", desired, observed);
        }

        if (restart is not null && restart.ContainerId == observed.Id && now < restart.NextAttemptAt)
        {
            return new ContainerAction(ContainerActionKind.WaitToRestart, name, $"backing off after {attempts} restarts", desired, observed, restart.NextAttemptAt);
        }

        return new ContainerAction(ContainerActionKind.Restart, name, $"exited with code {observed.ExitCode} and restart policy is {policy!.Name}", desired, observed);
    }
}
