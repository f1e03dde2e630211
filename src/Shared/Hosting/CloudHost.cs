using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace Cloud.Shared.Hosting;

/// <summary>
/// The one way every role builds its process: the generic host (through WebApplication, so each
/// role can answer HTTP), structured JSON logs on stdout, and a health endpoint.
/// </summary>
public static class CloudHost
{
    public const string HealthPath = "/health";

    /// <param name="role">The role's name, stamped on every log event.</param>
    /// <param name="args">Command-line arguments (<c>--urls</c>, <c>--Section:Key=value</c>).</param>
    /// <param name="defaultUrl">Where the role listens unless <c>urls</c> is configured.</param>
    public static WebApplicationBuilder CreateBuilder(string role, string[] args, string defaultUrl)
    {
        ArgumentException.ThrowIfNullOrEmpty(role);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ApplicationName = role });
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(defaultUrl);
        }

        builder.Services.AddSerilog((services, logger) => logger
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
            .ReadFrom.Configuration(builder.Configuration)
            .Enrich.FromLogContext()
            .Enrich.WithProperty("role", role)
            .WriteTo.Console(new RenderedCompactJsonFormatter()));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(new RoleIdentity(role));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        return builder;
    }

    /// <summary>Maps <c>GET /health</c>: 200 with the role name while the host is running.</summary>
    public static WebApplication MapCloudHealth(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet(HealthPath, (RoleIdentity identity) => Results.Ok(new { status = "ok", role = identity.Role }));
        return app;
    }
}
