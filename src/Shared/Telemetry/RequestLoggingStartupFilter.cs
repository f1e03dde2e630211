using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Serilog;
using Serilog.Events;

namespace Cloud.Shared.Telemetry;

/// <summary>
/// One log event per HTTP request, first in every role's pipeline, so each carries the request's
/// trace id (<c>@tr</c>): API calls (<c>/api/...</c>) at information as an audit trail, server
/// errors at error, and the rest (health checks, scrapes, proxied client traffic) at debug, so a
/// busy proxy does not log every request it routes.
/// </summary>
internal sealed class RequestLoggingStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.UseSerilogRequestLogging(o => o.GetLevel = Level);
        next(app);
    };

    internal static LogEventLevel Level(HttpContext context, double elapsedMs, Exception? exception)
    {
        if (exception is not null || context.Response.StatusCode >= StatusCodes.Status500InternalServerError)
        {
            return LogEventLevel.Error;
        }

        return context.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal) ? LogEventLevel.Information : LogEventLevel.Debug;
    }
}
