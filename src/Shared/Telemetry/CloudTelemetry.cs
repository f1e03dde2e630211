using System.Diagnostics.Metrics;
using Cloud.Shared.Hosting;
using Cloud.ZooKeeper.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Cloud.Shared.Telemetry;

/// <summary>
/// OpenTelemetry for every role, registered once by <see cref="CloudHost"/>: a trace per API
/// request, the role's own <c>Cloud.&lt;Role&gt;</c> spans and instruments, ZooKeeper client
/// metrics, ASP.NET Core, HttpClient and runtime metrics; served for Prometheus at
/// <see cref="MetricsPath"/> and pushed over OTLP when an endpoint is configured.
/// </summary>
public static class CloudTelemetry
{
    public const string MetricsPath = "/metrics";

    /// <summary>The environment variable the OpenTelemetry SDK reads for its OTLP endpoint.</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static WebApplicationBuilder AddCloudTelemetry(this WebApplicationBuilder builder, string role)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(role);
        var options = builder.Configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        var otlp = ResolveOtlp(options, builder.Configuration[OtlpEndpointVariable]);
        var name = TelemetryNames.ForRole(role);

        builder.Services.AddOptions<TelemetryOptions>().Bind(builder.Configuration.GetSection(TelemetryOptions.Section));
        builder.Services.AddRoleTelemetry(role);
        if (options.HttpInstrumentation)
        {
            builder.Services.AddTransient<IStartupFilter, RequestLoggingStartupFilter>();
        }

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(
                TelemetryNames.ServiceName(role),
                serviceVersion: typeof(CloudTelemetry).Assembly.GetName().Version?.ToString(),
                serviceInstanceId: Environment.MachineName))
            .WithTracing(tracing =>
            {
                tracing.AddSource(name);
                if (options.HttpInstrumentation)
                {
                    tracing
                        .AddSource("System.Net.Http")
                        .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsHousekeeping(context.Request.Path));
                }

                if (otlp is not null)
                {
                    tracing.AddOtlpExporter(o => Apply(o, otlp));
                }
            })
            .WithMetrics(metrics =>
            {
                metrics
                    .AddMeter(name)
                    .AddMeter(ZooKeeperMetrics.MeterName)
                    .AddMeter(RuntimeMeter)
                    .AddView(BoundedStream)
                    .AddPrometheusExporter();
                if (options.HttpInstrumentation)
                {
                    metrics
                        .AddMeter("System.Net.Http")
                        .AddAspNetCoreInstrumentation();
                }

                if (otlp is not null)
                {
                    metrics.AddOtlpExporter(o => Apply(o, otlp));
                }
            });
        return builder;
    }

    /// <summary>
    /// The runtime's and the ZooKeeper client's instruments have a few attribute values each (GC generation,
    /// operation and outcome), yet the SDK reserves room for 2,000 combinations per instrument up front, on the
    /// large object heap, for the process's lifetime. Their streams reserve 200: an idle native runner's large
    /// object heap went from 6.0 to 3.2 MB (issue 14). The role's own and the HTTP instruments keep the default.
    /// </summary>
    private const int BoundedCardinality = 200;

    private const string RuntimeMeter = "System.Runtime";

    private static MetricStreamConfiguration? BoundedStream(Instrument instrument) =>
        instrument.Meter.Name is RuntimeMeter or ZooKeeperMetrics.MeterName
            ? new MetricStreamConfiguration { CardinalityLimit = BoundedCardinality }
            : null;

    /// <summary>Maps <c>GET /metrics</c> in Prometheus' text format.</summary>
    public static WebApplication MapCloudMetrics(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPrometheusScrapingEndpoint(MetricsPath);
        return app;
    }

    /// <summary>Health checks and scrapes: frequent, uninteresting, never traced and logged at debug only.</summary>
    internal static bool IsHousekeeping(PathString path) =>
        path.StartsWithSegments(CloudHost.HealthPath, StringComparison.Ordinal)
        || path.StartsWithSegments(MetricsPath, StringComparison.Ordinal);

    private static (Uri Endpoint, OtlpExportProtocol Protocol)? ResolveOtlp(TelemetryOptions options, string? environmentEndpoint)
    {
        var protocol = options.OtlpProtocol switch
        {
            "grpc" => OtlpExportProtocol.Grpc,
            "http/protobuf" => OtlpExportProtocol.HttpProtobuf,
            _ => throw new InvalidOperationException($"Telemetry:OtlpProtocol must be grpc or http/protobuf, not '{options.OtlpProtocol}'."),
        };
        if (options.OtlpEndpoint is { } endpoint)
        {
            return (endpoint, protocol);
        }

        // The SDK reads the OTEL_EXPORTER_OTLP_* variables itself; we only decide whether to export at all.
        return Uri.TryCreate(environmentEndpoint, UriKind.Absolute, out var fromEnvironment) ? (fromEnvironment, protocol) : null;
    }

    private static void Apply(OtlpExporterOptions exporter, (Uri Endpoint, OtlpExportProtocol Protocol)? otlp)
    {
        if (otlp is { } target)
        {
            exporter.Endpoint = target.Endpoint;
            exporter.Protocol = target.Protocol;
        }
    }
}
