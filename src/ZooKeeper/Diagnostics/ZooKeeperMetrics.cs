using System.Diagnostics;
using System.Diagnostics.Metrics;
using Cloud.ZooKeeper.Protocol;

namespace Cloud.ZooKeeper.Diagnostics;

/// <summary>
/// Request counts and latencies of every client in the process, on the <see cref="MeterName"/> meter.
/// Plain System.Diagnostics.Metrics so the client stays free of any host or exporter: whoever
/// listens (OpenTelemetry in the roles, dotnet-counters on a host) picks the meter up by name.
/// </summary>
public static class ZooKeeperMetrics
{
    public const string MeterName = "Cloud.ZooKeeper";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Requests = Meter.CreateCounter<long>(
        "cloud.zookeeper.requests", "{request}", "ZooKeeper requests by operation and outcome (ok or the error code).");

    private static readonly Histogram<double> Duration = Meter.CreateHistogram(
        "cloud.zookeeper.request.duration", "s", "Time from submitting a ZooKeeper request to its reply or failure.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });

    internal static long Start() => Stopwatch.GetTimestamp();

    internal static void Record(OpCode op, long started, Exception? error)
    {
        if (!Requests.Enabled && !Duration.Enabled)
        {
            return;
        }

        var outcome = error switch
        {
            null => "ok",
            ZooKeeperException zk => zk.Code.ToString(),
            OperationCanceledException => "cancelled",
            _ => "error",
        };
        var tags = new TagList { { "op", op.ToString() }, { "outcome", outcome } };
        Requests.Add(1, tags);
        Duration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
    }
}
