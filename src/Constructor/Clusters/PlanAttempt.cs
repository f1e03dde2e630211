using System.Collections.Immutable;

namespace Cloud.Constructor.Clusters;

/// <summary>One run of a plan: its steps, in order, each recorded before and after it runs.</summary>
public sealed record PlanAttempt
{
    public required string AttemptId { get; init; }

    public required string PlanId { get; init; }

    public required string Strategy { get; init; }

    /// <summary><c>running</c>, <c>success</c>, <c>error</c> or <c>cancelled</c>.</summary>
    public string Status { get; init; } = "running";

    public DateTimeOffset Started { get; init; }

    public DateTimeOffset? Completed { get; init; }

    /// <summary>Which constructor ran each part (a resumed attempt lists several).</summary>
    public ImmutableArray<string> ExecutedBy { get; init; } = [];

    public ImmutableArray<StepRecord> Steps { get; init; } = [];

    public string? Error { get; init; }

    /// <summary>The W3C trace id of this attempt's trace (its steps are spans in it; their log lines carry it).</summary>
    public string? TraceId { get; init; }

    /// <summary>This attempt with <paramref name="step"/> replacing the step of the same id (or appended).</summary>
    public PlanAttempt WithStep(StepRecord step)
    {
        var index = -1;
        for (var i = 0; i < Steps.Length && index < 0; i++)
        {
            index = Steps[i].StepId == step.StepId ? i : -1;
        }

        return this with { Steps = index >= 0 ? Steps.SetItem(index, step) : Steps.Add(step) };
    }
}
