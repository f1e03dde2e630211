using Microsoft.Extensions.DependencyInjection;

namespace Cloud.Constructor.Enrollment;

public static class EnrollmentServiceCollectionExtensions
{
    /// <summary>Enrollment tokens and host enrollment (<see cref="EnrollmentEndpoints"/>).</summary>
    public static IServiceCollection AddEnrollment(this IServiceCollection services)
    {
        services.AddSingleton<EnrollmentService>();
        return services;
    }
}
