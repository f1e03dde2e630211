using System.Collections.Immutable;
using Cloud.Constructor.Clusters;

namespace Cloud.Constructor.Execution;

/// <summary>
/// What <see cref="PlanRunner"/> asks of the steps: run one, and the two halves of a rollback. The runner's
/// state machine (records, deadlines, the point of no return, cancels) is tested through this seam with
/// scripted steps; <see cref="PlanSteps"/> is the real thing.
/// </summary>
public interface IPlanSteps
{
    Task<StepOutcome> RunAsync(string stepId, PlanContext context, CancellationToken cancellationToken);

    /// <summary>Shards and votes back to the current instances, before the new ones go.</summary>
    Task<ImmutableArray<string>> PrepareRollbackAsync(PlanContext context, PlanAttempt attempt, CancellationToken cancellationToken);

    /// <summary>What is left once the new instances are unassigned (exclusions, allocation settings).</summary>
    Task<ImmutableArray<string>> FinishRollbackAsync(PlanContext context, PlanAttempt attempt, CancellationToken cancellationToken);
}
