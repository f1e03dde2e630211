using System.Text.Json;
using Cloud.Shared.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serilog;
using ILogger = Microsoft.Extensions.Logging.ILogger;
using Serilog.Formatting.Compact;

namespace Cloud.Shared.Hosting;

/// <summary>
/// The one way every role builds its process: the generic host (through WebApplication, so each
/// role can answer HTTP), structured JSON logs on stdout carrying the trace id, a health endpoint,
/// OpenTelemetry traces and metrics with a Prometheus endpoint, and systemd notification.
/// </summary>
public static partial class CloudHost
{
    public const string HealthPath = "/health";

    /// <param name="role">The role's name, stamped on every log event.</param>
    /// <param name="args">Command-line arguments (<c>--urls</c>, <c>--Section:Key=value</c>, <c>--config file.json</c>).</param>
    /// <param name="defaultUrl">Where the role listens unless <c>urls</c> is configured.</param>
    public static WebApplicationBuilder CreateBuilder(string role, string[] args, string defaultUrl)
    {
        ArgumentException.ThrowIfNullOrEmpty(role);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args });
        ConfigurationFile.AddFromCommandLine(builder.Configuration);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(defaultUrl);
        }

        builder.Services.AddSerilog((services, logger) => LogLevels.Apply(logger, builder.Configuration)
            .Enrich.FromLogContext()
            .Enrich.WithProperty("role", role)
            .WriteTo.Console(new RenderedCompactJsonFormatter()));
        // Type=notify under systemd (READY=1 once started, STOPPING on SIGTERM); nothing elsewhere.
        builder.Host.UseSystemd();
        builder.AddCloudTelemetry(role);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(new RoleIdentity(role));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        return builder;
    }

    /// <summary>
    /// Maps the health endpoint and runs the role until SIGTERM. A role that cannot start (invalid
    /// options, say) logs why and exits non-zero instead of aborting with an unhandled exception.
    /// </summary>
    /// <returns>The process exit code: 0 after a clean stop, 2 for invalid configuration, 1 when the role or one of its loops failed.</returns>
    public static async Task<int> RunAsync(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapCloudHealth();
        app.MapCloudMetrics();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(CloudHost));
        IReadOnlyList<BackgroundService> loops = [];
        try
        {
            // Resolved before running: RunAsync disposes the services when the host stops.
            loops = [.. app.Services.GetServices<IHostedService>().OfType<BackgroundService>()];
            await app.RunAsync();
        }
        catch (OperationCanceledException)
        {
            // The start was cancelled because the host was asked to stop while still starting: by SIGTERM
            // (a clean stop), or by a loop that died before the host had finished starting (the host stops
            // itself then, and its start fails with this same exception). Told apart below.
        }
        catch (OptionsValidationException ex)
        {
            LogInvalidConfiguration(logger, ex, ex.Message);
            return 2;
        }
        catch (Exception ex)
        {
            LogCrashed(logger, ex);
            return 1;
        }

        return ExitCodeOf(loops, logger);
    }

    /// <summary>
    /// A background loop that died stops the host quietly; say so in the exit code, so the service
    /// manager restarts the role instead of taking it for a clean stop. The host stops only after the
    /// loop's task has faulted, so by the time the host has stopped (or its start was cancelled) the
    /// fault is there to see.
    /// </summary>
    private static int ExitCodeOf(IReadOnlyList<BackgroundService> loops, ILogger logger)
    {
        var faulted = loops.Select(s => s.ExecuteTask?.Exception).OfType<AggregateException>().ToList();
        foreach (var fault in faulted)
        {
            LogCrashed(logger, fault.InnerException ?? fault);
        }

        return faulted.Count == 0 ? 0 : 1;
    }

    /// <summary>Maps <c>GET /health</c>: 200 with the role name while the host is running.</summary>
    public static WebApplication MapCloudHealth(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // A plain RequestDelegate and a compile-time JSON description: no handler generated at run time,
        // so it also answers in the natively compiled agents.
        var body = JsonSerializer.SerializeToUtf8Bytes(
            new HealthResponse("ok", app.Services.GetRequiredService<RoleIdentity>().Role), HostingJsonContext.Default.HealthResponse);
        app.MapGet(HealthPath, (RequestDelegate)(context =>
        {
            context.Response.ContentType = "application/json; charset=utf-8";
            return context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
        }));
        return app;
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "Invalid configuration, not starting: {Reason}")]
    private static partial void LogInvalidConfiguration(ILogger logger, Exception exception, string reason);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The role stopped on an unexpected error")]
    private static partial void LogCrashed(ILogger logger, Exception exception);
}
