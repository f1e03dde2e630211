namespace Cloud.Shared.Telemetry;

/// <summary>
/// Where telemetry goes (configuration section <c>Telemetry</c>). Metrics are always served for
/// Prometheus at <see cref="CloudTelemetry.MetricsPath"/>; traces and metrics are also pushed over
/// OTLP when an endpoint is configured here or in the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>.
/// </summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>An OTLP collector (<c>http://collector:4317</c> for gRPC, <c>:4318</c> with <see cref="OtlpProtocol"/> <c>http/protobuf</c>).</summary>
    public Uri? OtlpEndpoint { get; set; }

    /// <summary><c>grpc</c> (the default) or <c>http/protobuf</c>.</summary>
    public string OtlpProtocol { get; set; } = "grpc";

    /// <summary>
    /// Per-request ASP.NET Core and HttpClient instrumentation: a trace and a log event per HTTP request, and the
    /// framework's request metrics. On by default; the proxy turns it off, because at tens of thousands of
    /// requests/s it costs more than the forwarding itself (measured: benchmarks/Proxy), and counts its
    /// traffic with its own instruments instead.
    /// </summary>
    public bool HttpInstrumentation { get; set; } = true;
}
