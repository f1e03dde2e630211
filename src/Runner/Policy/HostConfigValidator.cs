using System.Collections.Immutable;
using System.Net;
using Cloud.Shared.Containers;

namespace Cloud.Runner.Policy;

/// <summary>
/// The <c>HostConfig</c> half of <see cref="DefinitionValidator"/>: refuses what isolation requires
/// refusing, checks the harmless docker-run settings it passes on, and names every field it does not know.
/// </summary>
internal static class HostConfigValidator
{
    private static readonly ImmutableHashSet<string> RestartPolicies =
        [RestartPolicySpec.No, RestartPolicySpec.Always, RestartPolicySpec.UnlessStopped, RestartPolicySpec.OnFailure];

    private static readonly ImmutableHashSet<string> BindOptions =
        ImmutableHashSet.Create(StringComparer.Ordinal, "ro", "rw", "z", "Z", "nocopy", "private", "rprivate");

    /// <summary>The resource limits <c>ulimit</c> knows, as Docker names them.</summary>
    private static readonly ImmutableHashSet<string> UlimitNames = ImmutableHashSet.Create(StringComparer.Ordinal,
        "core", "cpu", "data", "fsize", "locks", "memlock", "msgqueue", "nice", "nofile", "nproc", "rss", "rtprio", "rttime", "sigpending", "stack");

    /// <summary>Logging drivers that keep the logs on the host, bounded by their own options; the others ship them over the network.</summary>
    private static readonly ImmutableHashSet<string> LogDrivers = ImmutableHashSet.Create(StringComparer.Ordinal, "json-file", "local", "none");

    /// <summary>HostConfig fields this runner does not pass on, and why the dangerous ones are refused outright.</summary>
    private static readonly ImmutableDictionary<string, string> DangerousHostConfig = new Dictionary<string, string>
    {
        ["Mounts"] = "HostConfig.Mounts is refused: mounts bypass the bind-mount rule; use HostConfig.Binds under the data root",
        ["Devices"] = "HostConfig.Devices is refused: host devices are never handed to a hosted workload",
        ["DeviceCgroupRules"] = "HostConfig.DeviceCgroupRules is refused: host devices are never handed to a hosted workload",
        ["DeviceRequests"] = "HostConfig.DeviceRequests is refused: host devices are never handed to a hosted workload",
        ["VolumesFrom"] = "HostConfig.VolumesFrom is refused: a container must not reach another container's data",
        ["SecurityOpt"] = "HostConfig.SecurityOpt is refused: security profiles are not relaxed for a hosted workload",
        ["PidMode"] = "HostConfig.PidMode is refused: a container must not share another process namespace",
        ["IpcMode"] = "HostConfig.IpcMode is refused: a container must not share another IPC namespace",
        ["UTSMode"] = "HostConfig.UTSMode is refused: a container must not share the host's UTS namespace",
        ["UsernsMode"] = "HostConfig.UsernsMode is refused: a container must not share the host's user namespace",
        ["CgroupnsMode"] = "HostConfig.CgroupnsMode is refused: a container must not share the host's cgroup namespace",
        ["CgroupParent"] = "HostConfig.CgroupParent is refused: a container must not escape the runner's resource limits",
        ["Runtime"] = "HostConfig.Runtime is refused: containers run with the engine's default runtime",
        ["Sysctls"] = "HostConfig.Sysctls is refused: kernel parameters are not a hosted workload's to change",
        ["OomKillDisable"] = "HostConfig.OomKillDisable is refused: a runaway workload must stay killable by the kernel",
    }.ToImmutableDictionary(StringComparer.OrdinalIgnoreCase);

    public static void Validate(HostConfigSpec host, string dataRoot, ImmutableArray<string>.Builder errors)
    {
        if (host.Privileged == true)
        {
            errors.Add("HostConfig.Privileged is refused: a hosted Elasticsearch may be compromised and never gets privileged mode");
        }

        if (host.NetworkMode is { } network)
        {
            if (network.Equals("host", StringComparison.OrdinalIgnoreCase))
            {
                errors.Add("HostConfig.NetworkMode \"host\" is refused: a hosted Elasticsearch may be compromised and never shares the host's network");
            }
            else if (network.StartsWith("container:", StringComparison.OrdinalIgnoreCase))
            {
                errors.Add($"HostConfig.NetworkMode \"{network}\" is refused: a container must not join another container's network");
            }
        }

        if (host.CapAdd is { IsDefaultOrEmpty: false } capAdd)
        {
            errors.Add($"HostConfig.CapAdd ({string.Join(", ", capAdd)}) is refused: a hosted Elasticsearch may be compromised and never gets added capabilities");
        }

        DefinitionValidator.NoNulls(errors, "HostConfig.CapDrop", host.CapDrop);
        foreach (var field in (host.Unmodelled?.Keys ?? Enumerable.Empty<string>()).Order(StringComparer.Ordinal))
        {
            errors.Add(DangerousHostConfig.TryGetValue(field, out var reason)
                ? reason
                : $"HostConfig.{field} is not supported by the runner (see src/Runner/README.md for the fields it passes on)");
        }

        foreach (var bind in host.Binds ?? [])
        {
            ValidateBind(bind, dataRoot, errors);
        }

        ValidatePortBindings(host, errors);
        if (host.RestartPolicy is { } restart && (restart.Name is null || !RestartPolicies.Contains(restart.Name)))
        {
            errors.Add($"HostConfig.RestartPolicy.Name '{restart.Name}' is not one of no, always, unless-stopped, on-failure");
        }

        if (host.RestartPolicy?.MaximumRetryCount is < 0)
        {
            errors.Add("HostConfig.RestartPolicy.MaximumRetryCount must not be negative");
        }

        if (host.Memory is < 0 || host.MemorySwap is < -1 || host.NanoCpus is < 0 || host.CpuShares is < 0 || host.CpuQuota is < -1 || host.CpuPeriod is < 0
            || host.MemoryReservation is < 0 || host.ShmSize is < 0 || host.PidsLimit is < -1)
        {
            errors.Add("HostConfig resource limits (Memory, MemorySwap, MemoryReservation, NanoCpus, CpuShares, CpuQuota, CpuPeriod, ShmSize, PidsLimit) must not be negative");
        }

        ValidateUlimits(host.Ulimits, errors);
        ValidateHarmless(host, errors);
    }

    private static void ValidatePortBindings(HostConfigSpec host, ImmutableArray<string>.Builder errors)
    {
        foreach (var (containerPort, bindings) in host.PortBindings ?? ImmutableSortedDictionary<string, ImmutableArray<PortBindingSpec>>.Empty)
        {
            if (!PortRules.IsContainerPort(containerPort))
            {
                errors.Add($"HostConfig.PortBindings key '{containerPort}' is not a container port like 9200/tcp");
            }

            foreach (var binding in bindings.IsDefault ? [] : bindings)
            {
                if (binding is null)
                {
                    errors.Add($"HostConfig.PortBindings['{containerPort}'] holds null: each binding is {{\"HostIp\": ..., \"HostPort\": ...}}");
                    continue;
                }

                if (!PortRules.IsPort(binding.HostPort))
                {
                    errors.Add($"HostConfig.PortBindings['{containerPort}'] host port '{binding.HostPort}' is not a port number between 1 and 65535");
                }

                if (!string.IsNullOrEmpty(binding.HostIp) && !IPAddress.TryParse(binding.HostIp, out _))
                {
                    errors.Add($"HostConfig.PortBindings['{containerPort}'] host IP '{binding.HostIp}' is not an IP address");
                }
            }
        }
    }

    private static void ValidateBind(string? bind, string dataRoot, ImmutableArray<string>.Builder errors)
    {
        var mount = bind is null ? null : BindMount.TryParse(bind);
        if (mount is null)
        {
            errors.Add($"HostConfig.Binds entry '{bind ?? "null"}' is not of the form /host/path:/container/path[:options]");
            return;
        }

        if (!mount.Source.StartsWith('/'))
        {
            errors.Add($"HostConfig.Binds entry '{bind}' is refused: named volumes are not supported, bind a directory under the data root {dataRoot}");
            return;
        }

        if (!mount.Target.StartsWith('/'))
        {
            errors.Add($"HostConfig.Binds entry '{bind}' is refused: the container path must be absolute");
        }

        if (mount.Options is { } options && options.Split(',').FirstOrDefault(o => !BindOptions.Contains(o)) is { } option)
        {
            errors.Add($"HostConfig.Binds entry '{bind}' is refused: option '{option}' is not allowed (use ro, rw, z, Z, nocopy, private, rprivate)");
        }

        if (!DataRootPaths.IsStrictlyUnder(mount.Source, dataRoot))
        {
            errors.Add($"HostConfig.Binds entry '{bind}' is refused: bind mounts must stay under the data root {dataRoot}");
        }
    }

    private static void ValidateUlimits(ImmutableArray<UlimitSpec>? ulimits, ImmutableArray<string>.Builder errors)
    {
        foreach (var ulimit in ulimits is { IsDefault: false } array ? array : [])
        {
            if (ulimit?.Name is null || !UlimitNames.Contains(ulimit.Name))
            {
                errors.Add($"HostConfig.Ulimits entry '{ulimit?.Name ?? "null"}' is not a resource limit Docker knows ({string.Join(", ", UlimitNames.Order(StringComparer.Ordinal))})");
            }
            else if (ulimit.Soft < -1 || ulimit.Hard < -1 || (ulimit.Hard >= 0 && (ulimit.Soft < 0 || ulimit.Soft > ulimit.Hard)))
            {
                errors.Add($"HostConfig.Ulimits '{ulimit.Name}': Soft {ulimit.Soft} and Hard {ulimit.Hard} must be -1 (unlimited) or non-negative, with Soft at most Hard");
            }
        }
    }

    private static void ValidateHarmless(HostConfigSpec host, ImmutableArray<string>.Builder errors)
    {
        if (host.LogConfig is { } log && (log.Type is null || !LogDrivers.Contains(log.Type)))
        {
            errors.Add($"HostConfig.LogConfig.Type '{log.Type}' is refused: use json-file, local or none (the others send logs off the host)");
        }

        if (host.LogConfig?.Config?.Any(c => c.Value is null) == true)
        {
            errors.Add("HostConfig.LogConfig.Config values must be strings");
        }

        foreach (var (path, options) in host.Tmpfs ?? ImmutableSortedDictionary<string, string>.Empty)
        {
            if (!path.StartsWith('/') || options is null)
            {
                errors.Add($"HostConfig.Tmpfs entry '{path}' must map an absolute container path to a (possibly empty) options string");
            }
        }

        // A negative score makes the kernel kill the host's own processes (runner, ZooKeeper) before the workload.
        if (host.OomScoreAdj is < 0 or > 1000)
        {
            errors.Add($"HostConfig.OomScoreAdj {host.OomScoreAdj} is refused: use 0-1000; a hosted workload never outranks the host's own processes");
        }

        DefinitionValidator.NoNulls(errors, "HostConfig.DnsOptions", host.DnsOptions);
        DefinitionValidator.NoNulls(errors, "HostConfig.DnsSearch", host.DnsSearch);
        foreach (var server in host.Dns ?? [])
        {
            if (server is null || !IPAddress.TryParse(server, out _))
            {
                errors.Add($"HostConfig.Dns entry '{server ?? "null"}' is not an IP address");
            }
        }

        foreach (var entry in host.ExtraHosts ?? [])
        {
            var colon = entry?.IndexOf(':', StringComparison.Ordinal) ?? -1;
            if (entry is null || colon < 1 || (entry[(colon + 1)..] != "host-gateway" && !IPAddress.TryParse(entry[(colon + 1)..], out _)))
            {
                errors.Add($"HostConfig.ExtraHosts entry '{entry ?? "null"}' is not of the form hostname:IP");
            }
        }
    }
}
