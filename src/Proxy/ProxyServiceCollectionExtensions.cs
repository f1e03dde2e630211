using Cloud.Proxy.Audit;
using Cloud.Proxy.FastPath;
using Cloud.Proxy.Feed;
using Cloud.Proxy.Filtering;
using Cloud.Proxy.Forwarding;
using Cloud.Proxy.Health;
using Cloud.Proxy.Registration;
using Cloud.Proxy.Routing;
using Cloud.Proxy.Telemetry;
using Cloud.Shared.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cloud.Proxy;

public static class ProxyServiceCollectionExtensions
{
    /// <summary>Everything the proxy role runs: options, the ZooKeeper feed, routes, forwarder, prober, audit and registration.</summary>
    public static IServiceCollection AddCloudProxy(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ProxyOptions>()
            .Bind(configuration.GetSection(ProxyOptions.Section))
            .PostConfigure(o => o.ProxyId = string.IsNullOrWhiteSpace(o.ProxyId) ? Environment.MachineName.ToLowerInvariant() : o.ProxyId)
            .ValidateDataAnnotations()
            .Validate(o => !string.IsNullOrWhiteSpace(o.Domain) && !o.Domain.Contains(':', StringComparison.Ordinal), "Proxy:Domain must be a host name without port")
            .ValidateOnStart();
        services.AddCloudZooKeeper(configuration);
        services.AddHttpForwarder();
        services.AddMetrics();
        services.AddSingleton<ProxyMetrics>();
        services.AddSingleton<RouteTable>();
        services.AddSingleton<DestinationRegistry>();
        services.AddSingleton<RoutingState>();
        services.AddSingleton<ClientAddressResolver>();
        services.AddSingleton<ForwarderHttpClient>();
        services.AddSingleton<ProxyRequestHandler>();
        services.AddSingleton<FastRouter>();
        services.AddSingleton<BackendConnector>();
        services.AddSingleton<FastPathCounters>();
        services.AddSingleton<IdleConnectionReaper>();
        services.AddSingleton<BackendPoolSweeper>();
        services.AddSingleton<FastForwarder>();
        services.AddSingleton<ZooKeeperOverrideAudit>();
        services.AddSingleton<IOverrideAudit>(sp => sp.GetRequiredService<ZooKeeperOverrideAudit>());
        services.AddHostedService(sp => sp.GetRequiredService<ZooKeeperOverrideAudit>());
        services.AddHostedService<ZooKeeperRoutingFeed>();
        services.AddHostedService<ActiveProber>();
        services.AddHostedService<ProxyRegistrar>();
        return services;
    }
}
