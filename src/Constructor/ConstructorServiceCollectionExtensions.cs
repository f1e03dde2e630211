using Cloud.Constructor.Clusters;
using Cloud.Constructor.Elasticsearch;
using Cloud.Constructor.Execution;
using Cloud.Constructor.Infrastructure;
using Cloud.Constructor.Routing;
using Cloud.Constructor.Security;
using Cloud.Constructor.Telemetry;
using Cloud.Shared.Serialization;
using Cloud.Shared.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Cloud.Constructor;

public static class ConstructorServiceCollectionExtensions
{
    /// <summary>Options, the stores, plan execution (leader only) and the Elasticsearch client.</summary>
    public static IServiceCollection AddConstructor(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ConstructorOptions>().Bind(configuration.GetSection(ConstructorOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ApiOptions>()
            .Bind(configuration.GetSection(ApiOptions.Section))
            .PostConfigure(o =>
            {
                // Single-host mode: CLOUD_API_KEY is the admin key unless one is configured.
                if (string.IsNullOrEmpty(o.AdminKey) && configuration["CLOUD_API_KEY"] is { Length: > 0 } key)
                {
                    o.AdminKey = key;
                }
            });
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = CloudJson.Options.PropertyNamingPolicy;
            o.SerializerOptions.DefaultIgnoreCondition = CloudJson.Options.DefaultIgnoreCondition;
        });
        services.AddSingleton<ClusterStore>();
        services.AddSingleton<DataPurgeWriter>();
        services.AddSingleton<PlatformReader>();
        services.AddSingleton<RoutingWriter>();
        services.AddSingleton<AssignmentWriter>();
        services.AddSingleton<IPlanSteps, PlanSteps>();
        services.AddSingleton<PlanCancelWatcher>();
        services.AddRoleTelemetry("constructor");
        services.AddSingleton<PlanMetrics>();
        services.AddSingleton<PlanRunner>();
        services.AddSingleton<Remediation>();
        services.AddSingleton<ConstructorLeader>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<ConstructorLeader>());
        services.AddElasticsearchClient();
        services.AddOpenApi("v1");
        return services;
    }
}
