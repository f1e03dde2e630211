using Cloud.Proxy.Forwarding;
using Cloud.Proxy.Health;
using Cloud.Proxy.Routing;
using Cloud.Shared.Hosting;
using Cloud.Shared.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cloud.Proxy;

public static class ProxyApplicationExtensions
{
    public const string ProxyHealthPath = "/_health";

    /// <summary>
    /// Puts the proxy first in the pipeline: every request except the proxy's own health and metrics endpoints is
    /// forwarded without passing through endpoint routing.
    /// </summary>
    public static WebApplication UseCloudProxy(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var handler = app.Services.GetRequiredService<ProxyRequestHandler>();
        app.Use(next => context =>
        {
            var path = context.Request.Path;
            return path == ProxyHealthPath || path == CloudHost.HealthPath || path == CloudTelemetry.MetricsPath ? next(context) : handler.HandleAsync(context);
        });
        app.UseRouting();
        app.MapGet(ProxyHealthPath, (RoutingState state, RouteTable routes, DestinationRegistry destinations, IOptions<ProxyOptions> options) =>
        {
            // Unhealthy only until the routes are first loaded: afterwards a ZooKeeper outage is no reason
            // to take the proxy out of a load balancer (it keeps routing with the last-known table).
            var body = new
            {
                status = state.IsLoaded ? "ok" : "loading",
                proxy_id = options.Value.ProxyId,
                zone = options.Value.Zone,
                clusters = routes.Count,
                routes_version = routes.Version,
                out_of_rotation = destinations.Failed.Select(d => d.Address).Order(StringComparer.Ordinal).ToArray(),
            };
            return Results.Json(body, statusCode: state.IsLoaded ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
        return app;
    }
}
