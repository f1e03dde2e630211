using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Cloud.Shared.Telemetry;

/// <summary>
/// The role's own ActivitySource and Meter, both named <c>Cloud.&lt;Role&gt;</c> (see
/// <see cref="TelemetryNames"/>). Every role gets one from the host; spans started on
/// <see cref="ActivitySource"/> and instruments created on <see cref="Meter"/> are exported without
/// further registration.
/// </summary>
public sealed class RoleTelemetry : IDisposable
{
    private readonly Counter<long> _reconcilePasses;
    private readonly Histogram<double> _reconcileDuration;

    public RoleTelemetry(string role, IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        Name = TelemetryNames.ForRole(role);
        ActivitySource = new ActivitySource(Name);
        Meter = meterFactory.Create(Name);
        _reconcilePasses = Meter.CreateCounter<long>(
            "cloud.reconcile.passes", "{pass}", "Reconcile passes by outcome (success, error).");
        _reconcileDuration = Meter.CreateHistogram(
            "cloud.reconcile.duration", "s", "How long one reconcile pass took.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] });
    }

    /// <summary><c>Cloud.&lt;Role&gt;</c>: the name of both the source and the meter.</summary>
    public string Name { get; }

    public ActivitySource ActivitySource { get; }

    public Meter Meter { get; }

    /// <summary>
    /// Starts timing one reconcile pass (and a span for it). Call <see cref="ReconcilePassScope.Succeeded"/>
    /// when the pass did its work; a scope disposed without it counts as an error.
    /// </summary>
    public ReconcilePassScope StartReconcilePass() =>
        new(ActivitySource.StartActivity("reconcile pass"), (seconds, outcome) =>
        {
            var tag = new KeyValuePair<string, object?>("outcome", outcome);
            _reconcilePasses.Add(1, tag);
            _reconcileDuration.Record(seconds, tag);
        });

    public void Dispose() => ActivitySource.Dispose();
}
