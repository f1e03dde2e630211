using System.Collections.Immutable;
using Cloud.Constructor.Clusters;

namespace Cloud.Constructor.Execution;

/// <summary>How a step ended, with the lines it adds to its <c>info_log</c>.</summary>
public sealed record StepOutcome(string Status, ImmutableArray<string> InfoLog)
{
    public static StepOutcome Success(params string[] log) => new(StepStatuses.Success, [.. log]);

    public static StepOutcome Skipped(params string[] log) => new(StepStatuses.Skipped, [.. log]);

    public static StepOutcome Error(params string[] log) => new(StepStatuses.Error, [.. log]);
}
