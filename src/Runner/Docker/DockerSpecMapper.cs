using System.Collections.Immutable;
using Cloud.Shared.Containers;
using Docker.DotNet.Models;
using ContainerSpec = Cloud.Shared.Containers.ContainerSpec;

namespace Cloud.Runner.Docker;

/// <summary>
/// Turns a definition (Docker's create-container shape, as our own records) into Docker.DotNet's
/// request. Only fields the definition validator has checked are passed on.
/// </summary>
internal static class DockerSpecMapper
{
    private const long NanosecondsPerTick = 100;

    public static CreateContainerParameters ToCreateParameters(ContainerCreateRequest request)
    {
        var spec = request.Spec;
        var host = spec.HostConfig;
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in spec.Labels ?? ImmutableSortedDictionary<string, string>.Empty)
        {
            labels[key] = value;
        }

        // The runner's own labels win over anything a definition says about ownership.
        foreach (var (key, value) in request.RunnerLabels)
        {
            labels[key] = value;
        }

        return new CreateContainerParameters
        {
            Name = request.Name,
            Image = spec.Image,
            Entrypoint = spec.Entrypoint is { } entrypoint ? [.. entrypoint] : null!,
            Cmd = spec.Cmd is { } cmd ? [.. cmd] : null!,
            Env = spec.Env is { } env ? [.. env] : null!,
            Labels = labels,
            ExposedPorts = ExposedPorts(spec),
            WorkingDir = spec.WorkingDir!,
            User = spec.User!,
            Hostname = spec.Hostname!,
            Domainname = spec.Domainname!,
            StopSignal = spec.StopSignal!,
            StopTimeout = spec.StopTimeout is { } seconds ? TimeSpan.FromSeconds(seconds) : null!,
            Healthcheck = spec.Healthcheck is { } health ? Healthcheck(health) : null!,
            HostConfig = new HostConfig
            {
                PortBindings = host?.PortBindings?.ToDictionary(
                    p => p.Key,
                    p => (IList<PortBinding>)[.. p.Value.Select(b => new PortBinding { HostIP = b.HostIp ?? string.Empty, HostPort = b.HostPort })])!,
                Binds = host?.Binds is { } binds ? [.. binds] : null!,
                Memory = host?.Memory ?? 0,
                MemorySwap = host?.MemorySwap ?? 0,
                NanoCPUs = host?.NanoCpus ?? 0,
                CPUShares = host?.CpuShares ?? 0,
                CPUQuota = host?.CpuQuota ?? 0,
                CPUPeriod = host?.CpuPeriod ?? 0,
                RestartPolicy = host?.RestartPolicy is { } restart ? RestartPolicy(restart) : null!,
                NetworkMode = host?.NetworkMode!,
                CapDrop = host?.CapDrop is { } drop ? [.. drop] : null!,
                Ulimits = host?.Ulimits is { IsDefault: false } ulimits ? [.. ulimits.Select(u => new Ulimit { Name = u.Name, Soft = u.Soft, Hard = u.Hard })] : null!,
                ShmSize = host?.ShmSize ?? 0,
                LogConfig = host?.LogConfig is { } log ? new LogConfig { Type = log.Type, Config = log.Config?.ToDictionary()! } : null!,
                Tmpfs = host?.Tmpfs?.ToDictionary()!,
                Init = host?.Init,
                OomScoreAdj = host?.OomScoreAdj ?? 0,
                PidsLimit = host?.PidsLimit,
                MemoryReservation = host?.MemoryReservation ?? 0,
                ReadonlyRootfs = host?.ReadonlyRootfs ?? false,
                DNS = host?.Dns is { } dns ? [.. dns] : null!,
                DNSOptions = host?.DnsOptions is { } dnsOptions ? [.. dnsOptions] : null!,
                DNSSearch = host?.DnsSearch is { } dnsSearch ? [.. dnsSearch] : null!,
                ExtraHosts = host?.ExtraHosts is { } extraHosts ? [.. extraHosts] : null!,
            },
        };
    }

    private static Dictionary<string, EmptyStruct>? ExposedPorts(ContainerSpec spec)
    {
        var ports = new SortedSet<string>(StringComparer.Ordinal);
        ports.UnionWith(spec.ExposedPorts?.Keys ?? []);
        ports.UnionWith(spec.HostConfig?.PortBindings?.Keys ?? []);
        return ports.Count == 0 ? null : ports.ToDictionary(p => p, _ => default(EmptyStruct));
    }

    private static HealthcheckConfig Healthcheck(HealthcheckSpec health) => new()
    {
        Test = health.Test is { } test ? [.. test] : null!,
        Interval = Duration(health.Interval),
        Timeout = Duration(health.Timeout),
        StartPeriod = Duration(health.StartPeriod),
        Retries = health.Retries,
    };

    private static TimeSpan? Duration(long? nanoseconds) =>
        nanoseconds is { } ns ? TimeSpan.FromTicks(ns / NanosecondsPerTick) : null;

    private static RestartPolicy RestartPolicy(RestartPolicySpec restart) => new()
    {
        Name = restart.Name switch
        {
            RestartPolicySpec.Always => RestartPolicyKind.Always,
            RestartPolicySpec.UnlessStopped => RestartPolicyKind.UnlessStopped,
            RestartPolicySpec.OnFailure => RestartPolicyKind.OnFailure,
            _ => RestartPolicyKind.No,
        },
        MaximumRetryCount = restart.MaximumRetryCount ?? 0,
    };
}
