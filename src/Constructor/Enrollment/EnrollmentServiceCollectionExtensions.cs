using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Cloud.Constructor.Enrollment;

public static class EnrollmentServiceCollectionExtensions
{
    /// <summary>Enrollment tokens and host enrollment (<see cref="EnrollmentEndpoints"/>), and the ACLs of the constructor's own trees.</summary>
    public static IServiceCollection AddEnrollment(this IServiceCollection services)
    {
        services.AddSingleton<EnrollmentService>();
        services.AddHostedService<PlatformAclGuard>();
        return services;
    }
}
