using System.Collections.Immutable;
using Cloud.Runner.Docker;

namespace Cloud.Runner.Reconcile;

/// <summary>
/// The result of one reconcile pass: the definitions it worked from, the owned containers as they
/// are after it, and the failures still standing per name.
/// </summary>
internal sealed record ReconcilePass(
    DesiredSnapshot Desired,
    ImmutableArray<RuntimeContainerState> Owned,
    ImmutableDictionary<string, ActionOutcome> Failures,
    ImmutableArray<ContainerAction> Actions);
