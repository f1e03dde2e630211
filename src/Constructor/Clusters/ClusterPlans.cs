using System.Collections.Immutable;

namespace Cloud.Constructor.Clusters;

/// <summary>
/// <c>/cloud/clusters/&lt;cluster_id&gt;/plan</c>: the current and pending plan, the plan history and the last
/// attempts with their steps, in one node so every change is one compare-and-swap on its version (a
/// deposed leader's write fails instead of mixing with the new leader's).
/// </summary>
public sealed record ClusterPlans
{
    public const int KeptAttempts = 20;

    public PlanRecord? Current { get; init; }

    public PlanRecord? Pending { get; init; }

    public ImmutableArray<PlanRecord> History { get; init; } = [];

    public ImmutableArray<PlanAttempt> Attempts { get; init; } = [];

    /// <summary>The next instance number; names are never reused in a cluster.</summary>
    public long NextInstanceNumber { get; init; } = 1;

    /// <summary><c>running</c> or <c>stopped</c> (after a shutdown plan).</summary>
    public string Lifecycle { get; init; } = "running";

    /// <summary>Instances a plan has put into routing (the proxy's list, before maintenance is taken out).</summary>
    public ImmutableArray<string> RoutedInstances { get; init; } = [];

    /// <summary>Instances an operator put into maintenance mode: out of routing until taken out of it.</summary>
    public ImmutableArray<string> MaintenanceInstances { get; init; } = [];

    public ClusterPlans WithAttempt(PlanAttempt attempt)
    {
        var index = -1;
        for (var i = 0; i < Attempts.Length && index < 0; i++)
        {
            index = Attempts[i].AttemptId == attempt.AttemptId ? i : -1;
        }

        var attempts = index >= 0 ? Attempts.SetItem(index, attempt) : Attempts.Add(attempt);
        return this with { Attempts = attempts.Length > KeptAttempts ? attempts.RemoveRange(0, attempts.Length - KeptAttempts) : attempts };
    }

    public ClusterPlans WithHistory(PlanRecord finished)
    {
        var history = History.Add(finished);
        return this with { History = history.Length > KeptAttempts ? history.RemoveRange(0, history.Length - KeptAttempts) : history };
    }
}
