using Cloud.Runner.Docker;

namespace Cloud.Runner.Reconcile;

/// <summary>One decision of <see cref="ContainerDiff"/>; <see cref="DueAt"/> is set for <see cref="ContainerActionKind.WaitToRestart"/>.</summary>
internal sealed record ContainerAction(
    ContainerActionKind Kind,
    string Name,
    string Reason,
    DesiredContainer? Desired = null,
    RuntimeContainerState? Observed = null,
    DateTimeOffset? DueAt = null)
{
    /// <summary>True for actions that change something in the engine.</summary>
    public bool IsChange => Kind is ContainerActionKind.Create or ContainerActionKind.Recreate
        or ContainerActionKind.Remove or ContainerActionKind.Start or ContainerActionKind.Restart;
}
