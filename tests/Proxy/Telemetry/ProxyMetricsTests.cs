using System.Diagnostics;
using System.Diagnostics.Metrics;
using Cloud.Proxy.Telemetry;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Cloud.Proxy.Tests.Telemetry;

public sealed class ProxyMetricsTests
{
    [Fact]
    public void RequestEnded_CountsByClusterAndStatus_AndRecordsSecondsByCluster()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        using var metrics = new ProxyMetrics(factory);
        using var listener = Listen(factory, out var seen);

        metrics.RequestEnded("c1", 200, Stopwatch.GetTimestamp() - Stopwatch.Frequency / 100);
        metrics.RequestEnded("c1", 503, Stopwatch.GetTimestamp());
        metrics.UpstreamError("c1");
        metrics.Retried("c1");
        metrics.Unrouted("unknown_cluster");

        seen.Where(m => m.Name == "cloud.proxy.requests").Select(m => (m.Value, m.Tags)).Should().BeEquivalentTo(
            [(1.0, "cluster_id=c1,status_code=200"), (1.0, "cluster_id=c1,status_code=503")]);
        var durations = seen.Where(m => m.Name == "cloud.proxy.request.duration").ToList();
        durations.Should().HaveCount(2).And.OnlyContain(m => m.Tags == "cluster_id=c1");
        durations[0].Value.Should().BeInRange(0.009, 5, "seconds, not milliseconds");
        seen.Where(m => m.Name is "cloud.proxy.upstream.errors" or "cloud.proxy.retries").Should().OnlyContain(m => m.Tags == "cluster_id=c1").And.HaveCount(2);
        seen.Single(m => m.Name == "cloud.proxy.requests.unrouted").Tags.Should().Be("reason=unknown_cluster");
    }

    [Fact]
    public void RequestDuration_BucketsAreInSeconds()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        using var metrics = new ProxyMetrics(factory);
        Histogram<double>? histogram = null;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) => histogram ??= instrument is Histogram<double> { Name: "cloud.proxy.request.duration" } h && ReferenceEquals(h.Meter.Scope, factory) ? h : null,
        };
        listener.Start();

        histogram.Should().NotBeNull();
        histogram!.Advice!.HistogramBucketBoundaries.Should().NotBeNull().And.Contain(0.001).And.Contain(1.0).And.OnlyContain(b => b <= 60);
    }

    private sealed record Seen(string Name, double Value, string Tags);

    private static MeterListener Listen(IMeterFactory factory, out List<Seen> seen)
    {
        var measurements = new List<Seen>();
        seen = measurements;
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == ProxyMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, factory))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => measurements.Add(new(instrument.Name, value, Format(tags))));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => measurements.Add(new(instrument.Name, value, Format(tags))));
        listener.Start();
        return listener;
    }

    private static string Format(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var parts = new List<string>();
        foreach (var tag in tags)
        {
            parts.Add($"{tag.Key}={tag.Value}");
        }

        parts.Sort(StringComparer.Ordinal);
        return string.Join(',', parts);
    }
}
