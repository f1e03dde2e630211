using System.Collections.Concurrent;
using System.Collections.Immutable;
using Cloud.Constructor.Clusters;
using Cloud.Constructor.Execution;

namespace Cloud.Constructor.Tests.Support;

/// <summary>
/// Steps that do nothing but what a test scripts per step id (success when unscripted), and count every run:
/// the plan runner's records, deadlines and point of no return are what is under test, not the steps.
/// </summary>
internal sealed class ScriptedPlanSteps : IPlanSteps
{
    private readonly ConcurrentDictionary<string, Func<CancellationToken, Task<StepOutcome>>> _scripts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _runs = new(StringComparer.Ordinal);
    private int _rollbacks;

    public void Script(string stepId, Func<StepOutcome> outcome) => _scripts[stepId] = _ => Task.FromResult(outcome());

    public void Script(string stepId, Func<CancellationToken, Task<StepOutcome>> outcome) => _scripts[stepId] = outcome;

    public int RunsOf(string stepId) => _runs.GetValueOrDefault(stepId);

    public int Rollbacks => Volatile.Read(ref _rollbacks);

    public async Task<StepOutcome> RunAsync(string stepId, PlanContext context, CancellationToken cancellationToken)
    {
        _runs.AddOrUpdate(stepId, 1, (_, runs) => runs + 1);
        return _scripts.TryGetValue(stepId, out var script) ? await script(cancellationToken) : StepOutcome.Success($"{stepId}: scripted");
    }

    public Task<ImmutableArray<string>> PrepareRollbackAsync(PlanContext context, PlanAttempt attempt, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _rollbacks);
        return Task.FromResult<ImmutableArray<string>>(["scripted: shards and votes back"]);
    }

    public Task<ImmutableArray<string>> FinishRollbackAsync(PlanContext context, PlanAttempt attempt, CancellationToken cancellationToken) =>
        Task.FromResult<ImmutableArray<string>>(["scripted: exclusions lifted"]);
}
