using Cloud.Runner.Docker;
using Cloud.Runner.Publishing;
using Cloud.Runner.Reconcile;
using Cloud.Runner.Registration;
using Cloud.Shared.Hosting;
using Cloud.Shared.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Cloud.Runner.Hosting;

internal static class RunnerServiceCollectionExtensions
{
    /// <summary>Everything the runner role needs: its options (validated on start), ZooKeeper, Docker, and the runner loop.</summary>
    public static IServiceCollection AddRunner(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RunnerOptions>()
            .Bind(configuration.GetSection(RunnerOptions.Section))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<RunnerOptions>, RunnerOptionsValidator>();
        services.AddCloudZooKeeper(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddRoleTelemetry("runner");
        services.AddSingleton<IContainerRuntime, DockerContainerRuntime>();
        services.AddSingleton<ContainerActionApplier>();
        services.AddSingleton<ContainerReconciler>();
        services.AddSingleton<DesiredSnapshotReader>();
        services.AddSingleton<InspectPublisher>();
        services.AddSingleton<RunnerRegistrar>();
        services.AddSingleton<RunnerService>();
        services.AddHostedService(sp => sp.GetRequiredService<RunnerService>());
        return services;
    }
}
