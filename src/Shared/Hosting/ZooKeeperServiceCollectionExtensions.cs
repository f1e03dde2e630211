using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Cloud.Shared.Hosting;

public static class ZooKeeperServiceCollectionExtensions
{
    /// <summary>Binds and validates <see cref="ZooKeeperOptions"/> and registers the role's <see cref="ZooKeeperConnection"/>.</summary>
    public static IServiceCollection AddCloudZooKeeper(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ZooKeeperOptions>()
            .Bind(configuration.GetSection(ZooKeeperOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<ZooKeeperConnection>();
        return services;
    }
}
