using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Cloud.Proxy.Telemetry;

/// <summary>
/// The proxy's OpenTelemetry instruments (meter <c>Cloud.Proxy</c>), tagged by cluster id. Recording
/// allocates nothing; exporters are wired by the host's telemetry setup.
/// </summary>
internal sealed class ProxyMetrics : IDisposable
{
    public const string MeterName = "Cloud.Proxy";

    // Status codes boxed once, so tagging a request with its status allocates nothing.
    private static readonly object[] BoxedStatus = [.. Enumerable.Range(0, 600).Select(i => (object)i)];

    private readonly Meter _meter;
    private readonly Counter<long> _requests;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _upstreamErrors;
    private readonly Counter<long> _retries;
    private readonly Counter<long> _unrouted;

    public ProxyMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        _requests = _meter.CreateCounter<long>("cloud.proxy.requests", "{request}", "Requests answered, by cluster and status code");
        // Buckets in seconds: without advice the SDK's default buckets (0, 5, 10, 25, ... 10000) are meant for
        // milliseconds, which would put every proxied request into the first one.
        _duration = _meter.CreateHistogram(
            "cloud.proxy.request.duration",
            "s",
            "Time from request to response end, by cluster",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
        _upstreamErrors = _meter.CreateCounter<long>("cloud.proxy.upstream.errors", "{error}", "Failed attempts to reach an instance, by cluster");
        _retries = _meter.CreateCounter<long>("cloud.proxy.retries", "{request}", "Idempotent requests sent again to another instance, by cluster");

        // By reason only: the cluster id a client sent for a cluster that does not exist would be an unbounded label.
        _unrouted = _meter.CreateCounter<long>("cloud.proxy.requests.unrouted", "{request}", "Requests the proxy answered itself because they named no known cluster, by reason");
    }

    public void RequestEnded(string clusterId, int statusCode, long startTimestamp)
    {
        var cluster = new KeyValuePair<string, object?>("cluster_id", clusterId);
        _requests.Add(1, cluster, new KeyValuePair<string, object?>("status_code", (uint)statusCode < BoxedStatus.Length ? BoxedStatus[statusCode] : statusCode));
        _duration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, cluster);
    }

    public void UpstreamError(string clusterId) => _upstreamErrors.Add(1, new KeyValuePair<string, object?>("cluster_id", clusterId));

    public void Retried(string clusterId) => _retries.Add(1, new KeyValuePair<string, object?>("cluster_id", clusterId));

    public void Unrouted(string reason) => _unrouted.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Dispose() => _meter.Dispose();
}
