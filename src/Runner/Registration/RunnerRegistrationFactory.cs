using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.InteropServices;
using Cloud.Runner.Docker;
using Cloud.Shared.Containers;

namespace Cloud.Runner.Registration;

/// <summary>Builds the runner's liveness record from the engine's facts, falling back to the process's own view of the host.</summary>
internal static class RunnerRegistrationFactory
{
    private const long BytesPerMb = 1024 * 1024;

    public static RunnerRegistration Create(string hostId, string dataRoot, RuntimeInfo? engine, ImmutableArray<string>? images, DateTimeOffset startedAt) => new()
    {
        HostId = hostId,
        DockerVersion = engine?.Version,
        DockerApiVersion = engine?.ApiVersion,
        Os = engine?.OperatingSystem ?? RuntimeInformation.OSDescription,
        Kernel = engine?.KernelVersion ?? Environment.OSVersion.VersionString,
        Cpus = engine?.Cpus is > 0 ? engine.Cpus : Environment.ProcessorCount,
        MemoryMb = (engine?.MemoryBytes is > 0 ? engine.MemoryBytes : GC.GetGCMemoryInfo().TotalAvailableMemoryBytes) / BytesPerMb,
        DataRoot = dataRoot,
        RunnerVersion = typeof(RunnerRegistrationFactory).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion,
        StartedAt = startedAt,
        Images = images,
    };
}
