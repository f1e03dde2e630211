using Cloud.Allocator.Assignments;
using Cloud.Allocator.Coordination;
using Cloud.Allocator.Purge;
using Cloud.Allocator.Registration;
using Cloud.Allocator.Status;
using Cloud.Shared.Hosting;
using Cloud.Shared.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cloud.Allocator.Configuration;

internal static class AllocatorServiceCollectionExtensions
{
    /// <summary>
    /// Registers the allocator: options bound from <c>Allocator</c> and validated on start, the resolved
    /// options, ZooKeeper the way every role registers it (<c>AddCloudZooKeeper</c>), and the hosted reconcile
    /// loop. A test may register its own <see cref="IZooKeeperClientSource"/> first.
    /// </summary>
    public static IServiceCollection AddAllocator(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AllocatorOptions>().Bind(configuration.GetSection(AllocatorOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AllocatorOptions>, AllocatorOptionsValidator>();
        services.AddCloudZooKeeper(configuration);
        services.TryAddSingleton<IZooKeeperClientSource, SharedZooKeeperClientSource>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddRoleTelemetry("allocator");
        services.AddSingleton(sp => ResolvedAllocatorOptions.Resolve(sp.GetRequiredService<IOptions<AllocatorOptions>>().Value, HostMemory.DetectTotalMb));
        services.AddSingleton<ReconcileSignal>();
        services.AddSingleton(sp => new NodeProber(
            new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) }) { Timeout = Timeout.InfiniteTimeSpan },
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new InstanceStatusPublisher(
            sp.GetRequiredService<ResolvedAllocatorOptions>().AllocatorId, sp.GetRequiredService<ILogger<InstanceStatusPublisher>>()));
        services.AddSingleton<AllocatorAdvertiser>();
        services.AddSingleton<ClusterDataPurger>();
        services.AddSingleton<AllocatorReconciler>();
        services.AddHostedService<AllocatorAgent>();
        return services;
    }
}
