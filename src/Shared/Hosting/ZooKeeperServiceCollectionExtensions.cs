using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cloud.Shared.Hosting;

public static class ZooKeeperServiceCollectionExtensions
{
    /// <summary>Binds and validates <see cref="ZooKeeperOptions"/> and registers the role's <see cref="ZooKeeperConnection"/>.</summary>
    public static IServiceCollection AddCloudZooKeeper(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ZooKeeperOptions>()
            .Bind(configuration.GetSection(ZooKeeperOptions.Section))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ZooKeeperOptions>, ZooKeeperOptionsValidator>();
        services.AddSingleton<ZooKeeperConnection>();
        return services;
    }
}
