using System.Collections.Immutable;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Cloud.Testing;
using FluentAssertions;
using Xunit;

namespace Cloud.EndToEnd.Tests.Telemetry;

/// <summary>
/// Every role, started as the real process, serves Prometheus metrics at /metrics (parsed strictly
/// here), names itself <c>cloud-&lt;role&gt;</c>, traces its API requests and logs them with the
/// caller's trace id; the agents also count their reconcile passes and ZooKeeper requests. The proxy has
/// no API: every request is forwarded traffic, which it neither traces nor logs per request
/// (Telemetry:HttpInstrumentation off; it counts forwarded requests on its own Cloud.Proxy meter).
/// </summary>
[Trait("Category", "Integration")]
public sealed class MetricsEndpointTests
{
    public static TheoryData<string, bool> Roles => new()
    {
        { "Constructor", false },
        { "Proxy", false },
        { "Allocator", true },
        { "Runner", true },
    };

    [Theory]
    [MemberData(nameof(Roles))]
    public async Task Metrics_RunningRole_ServesParsablePrometheusTextAndLogsTraceIds(string role, bool reconciles)
    {
        await using var zooKeeper = await ZooKeeperServer.StartAsync();
        await DockerEngine.EnsureRunningAsync();
        var hostId = "metrics-" + Guid.NewGuid().ToString("N")[..8];
        var dataRoot = Directory.CreateTempSubdirectory("cloud-metrics-").FullName;
        await using var process = RoleProcess.Start(role, new Dictionary<string, string>
        {
            ["ZooKeeper:ConnectString"] = zooKeeper.ConnectString,
            ["Runner:HostId"] = hostId,
            ["Runner:DataRoot"] = dataRoot,
            ["Allocator:AllocatorId"] = hostId,
            ["Allocator:Zone"] = "zone-1",
            ["Allocator:HostAddress"] = "127.0.0.1",
            ["Allocator:DataRoot"] = dataRoot,
            ["Allocator:MemoryCapacityMb"] = "4096",
        });
        using var http = new HttpClient { BaseAddress = process.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        await Eventually.AssertAsync(
            async () =>
            {
                ThrowIfExited(process);
                return (await http.GetAsync(new Uri("/health", UriKind.Relative))).StatusCode == HttpStatusCode.OK;
            },
            TimeSpan.FromSeconds(60),
            $"{role} to answer /health");

        // A traced API call: the caller's trace id must reach the role's request log.
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        using (var probe = new HttpRequestMessage(HttpMethod.Get, "/api/v1/telemetry-probe"))
        {
            probe.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
            using var response = await http.SendAsync(probe);
        }

        var samples = await Eventually.GetAsync(
            async () =>
            {
                ThrowIfExited(process);
                using var response = await http.GetAsync(new Uri("/metrics", UriKind.Relative));
                response.StatusCode.Should().Be(HttpStatusCode.OK);
                response.Content.Headers.ContentType!.MediaType.Should().Be("text/plain");
                var parsed = PrometheusText.Parse(await response.Content.ReadAsStringAsync());
                var ready = (role == "Proxy" ? Sum(parsed, "cloud_proxy_requests_unrouted_total") > 0 : Sum(parsed, "http_server_request_duration_seconds_count") > 0)
                    && (!reconciles || (Sum(parsed, "cloud_reconcile_passes_total", ("outcome", "success")) > 0
                        && Sum(parsed, "cloud_zookeeper_requests_total", ("outcome", "ok")) > 0));
                return ready ? (ImmutableArray<PrometheusSample>?)parsed : null;
            },
            TimeSpan.FromSeconds(60),
            $"{role}'s metrics to show its requests and passes");

        var all = samples!.Value;
        all.Should().Contain(s => s.Name == "target_info" && s.Labels.GetValueOrDefault("service_name") == "cloud-" + role.ToLowerInvariant());
        all.Should().Contain(s => s.Name.StartsWith("dotnet_", StringComparison.Ordinal), "the runtime's own meter is exported");
        if (reconciles)
        {
            Sum(all, "cloud_reconcile_duration_seconds_count").Should().BeGreaterThan(0);
            all.Should().Contain(s => s.Name == "cloud_reconcile_duration_seconds_bucket" && s.Labels.GetValueOrDefault("le") == "+Inf");
            Sum(all, "cloud_zookeeper_request_duration_seconds_count").Should().BeGreaterThanOrEqualTo(Sum(all, "cloud_zookeeper_requests_total", ("outcome", "ok")));
            all.Should().Contain(s => s.Name == "cloud_zookeeper_requests_total" && s.Labels.ContainsKey("op"));
        }

        process.Process.Terminate();
        (await process.Process.WaitForExitAsync(TimeSpan.FromSeconds(30))).Should().BeTrue();
        var requestLogs = process.Process.Output
            .Where(l => l.StartsWith('{'))
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Where(e => e.TryGetProperty("RequestPath", out var path) && path.GetString() == "/api/v1/telemetry-probe")
            .ToList();
        if (role == "Proxy")
        {
            // The probe named no cluster: answered by the proxy itself and counted by reason, never by the id a client sent.
            Sum(all, "cloud_proxy_requests_unrouted_total", ("reason", "no_cluster")).Should().Be(1);
            requestLogs.Should().BeEmpty("forwarded traffic is never logged per request");
            all.Should().NotContain(s => s.Name.StartsWith("http_server_request_duration", StringComparison.Ordinal), "nor measured by the framework per request");
        }
        else
        {
            requestLogs.Should().ContainSingle("each API request is logged once, at information")
                .Which.GetProperty("@tr").GetString().Should().Be(traceId);
        }
        Directory.Delete(dataRoot, recursive: true);
    }

    private static double Sum(IEnumerable<PrometheusSample> samples, string name, params (string Label, string Value)[] labels) =>
        samples.Where(s => s.Name == name && labels.All(l => s.Labels.GetValueOrDefault(l.Label) == l.Value)).Sum(s => s.Value);

    private static void ThrowIfExited(RoleProcess process)
    {
        if (process.Process.HasExited)
        {
            throw new InvalidOperationException($"{process.Role} exited early:\n{string.Join('\n', process.Process.Output)}");
        }
    }
}
