using System.Diagnostics.Metrics;
using Cloud.Constructor.Clusters;
using Cloud.Shared.Telemetry;

namespace Cloud.Constructor.Telemetry;

/// <summary>
/// The constructor's plan instruments, on its <c>Cloud.Constructor</c> meter (served at <c>/metrics</c>):
/// <c>cloud.constructor.plans</c> counts plans that ended, by <c>outcome</c> and <c>kind</c>
/// (<c>change</c>, <c>shutdown</c>). Counted by the leader that recorded the end, once per plan.
/// </summary>
public sealed class PlanMetrics
{
    public const string Succeeded = "succeeded";

    /// <summary>Failed past its point of no return: recorded as current with outcome <c>error</c>, not rolled back.</summary>
    public const string Failed = "failed";

    /// <summary>A step failed or the deadline passed before the point of no return: back to the current plan.</summary>
    public const string RolledBack = "rolled_back";

    public const string Cancelled = "cancelled";

    private readonly Counter<long> _plans;

    public PlanMetrics(RoleTelemetry telemetry)
    {
        ArgumentNullException.ThrowIfNull(telemetry);
        _plans = telemetry.Meter.CreateCounter<long>("cloud.constructor.plans", "{plan}", "Plans that ended, by outcome (succeeded, failed, rolled_back, cancelled) and kind (change, shutdown).");

        // Every outcome is shown from the start (at 0), so a rate over it exists before the first failure.
        foreach (var outcome in (string[])[Succeeded, Failed, RolledBack, Cancelled])
        {
            _plans.Add(0, Tag("outcome", outcome), Tag("kind", PlanKinds.Change));
        }
    }

    public void Ended(string outcome, string kind) => _plans.Add(1, Tag("outcome", outcome), Tag("kind", kind));

    private static KeyValuePair<string, object?> Tag(string key, string value) => new(key, value);
}
