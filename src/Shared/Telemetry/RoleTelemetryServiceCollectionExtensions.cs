using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Cloud.Shared.Telemetry;

public static class RoleTelemetryServiceCollectionExtensions
{
    /// <summary>
    /// Registers the role's <see cref="RoleTelemetry"/> unless one already is. The host registers it
    /// for every role; a role's own service registration calls this too, so the role also composes
    /// outside the host (in tests) with its instruments simply not exported.
    /// </summary>
    public static IServiceCollection AddRoleTelemetry(this IServiceCollection services, string role)
    {
        ArgumentException.ThrowIfNullOrEmpty(role);
        services.AddMetrics();
        services.TryAddSingleton(sp => new RoleTelemetry(role, sp.GetRequiredService<IMeterFactory>()));
        return services;
    }
}
