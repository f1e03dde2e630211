using Cloud.Runner.Docker;

namespace Cloud.Runner.Reconcile;

/// <summary>One decision of <see cref="ContainerDiff"/>.</summary>
internal sealed record ContainerAction(
    ContainerActionKind Kind,
    string Name,
    string Reason,
    DesiredContainer? Desired = null,
    RuntimeContainerState? Observed = null)
{
    /// <summary>True for actions that change something in the engine.</summary>
    public bool IsChange => Kind is ContainerActionKind.Create or ContainerActionKind.Recreate
        or ContainerActionKind.Remove or ContainerActionKind.Start;
}
