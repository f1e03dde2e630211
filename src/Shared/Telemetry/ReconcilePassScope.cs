using System.Diagnostics;

namespace Cloud.Shared.Telemetry;

/// <summary>One reconcile pass being timed: recorded once, when disposed, as success or error.</summary>
public sealed class ReconcilePassScope : IDisposable
{
    private readonly Activity? _activity;
    private readonly Action<double, string> _record;
    private readonly long _started = Stopwatch.GetTimestamp();
    private bool _succeeded;
    private bool _disposed;

    internal ReconcilePassScope(Activity? activity, Action<double, string> record)
    {
        _activity = activity;
        _record = record;
    }

    /// <summary>The pass did its work (even if it found nothing to change).</summary>
    public void Succeeded() => _succeeded = true;

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        var outcome = _succeeded ? "success" : "error";
        _activity?.SetStatus(_succeeded ? ActivityStatusCode.Ok : ActivityStatusCode.Error);
        _activity?.Dispose();
        _record(Stopwatch.GetElapsedTime(_started).TotalSeconds, outcome);
    }
}
