using System.Collections.Immutable;
using System.Globalization;
using Cloud.Shared.Containers;
using Cloud.Shared.Coordination;

namespace Cloud.Runner.Policy;

/// <summary>
/// Decides whether a definition may run on this host, collecting every reason it may not. The
/// platform assumes a hosted Elasticsearch may be compromised: nothing that widens what a container
/// can reach on its host (privileged mode, host namespaces, added capabilities, devices, bind mounts
/// outside the data root) is ever granted, and nothing the runner cannot pass on is silently dropped.
/// </summary>
internal static class DefinitionValidator
{
    private static readonly ImmutableHashSet<string> RestartPolicies =
        [RestartPolicySpec.No, RestartPolicySpec.Always, RestartPolicySpec.UnlessStopped, RestartPolicySpec.OnFailure];

    private static readonly ImmutableHashSet<string> BindOptions =
        ImmutableHashSet.Create(StringComparer.Ordinal, "ro", "rw", "z", "Z", "nocopy", "private", "rprivate");

    /// <summary>HostConfig fields this runner does not model, and why the dangerous ones are refused outright.</summary>
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
    }.ToImmutableDictionary(StringComparer.OrdinalIgnoreCase);

    public static ImmutableArray<string> Validate(string name, ContainerSpec spec, string dataRoot)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var errors = ImmutableArray.CreateBuilder<string>();
        if (!NodeNames.IsValid(name))
        {
            errors.Add($"container name '{name}' is invalid: use 1-128 characters of a-z, 0-9, '.', '-', '_', starting with a letter or digit");
        }

        if (string.IsNullOrWhiteSpace(spec.Image))
        {
            errors.Add("Image is required");
        }

        if (spec.StopTimeout is < 0)
        {
            errors.Add("StopTimeout must not be negative");
        }

        foreach (var field in (spec.Unmodelled?.Keys ?? Enumerable.Empty<string>()).Order(StringComparer.Ordinal))
        {
            errors.Add($"{field} is not supported by the runner");
        }

        if (spec.HostConfig is { } host)
        {
            ValidateHost(host, dataRoot, errors);
        }

        return errors.ToImmutable();
    }

    private static void ValidateHost(HostConfigSpec host, string dataRoot, ImmutableArray<string>.Builder errors)
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

        foreach (var field in (host.Unmodelled?.Keys ?? Enumerable.Empty<string>()).Order(StringComparer.Ordinal))
        {
            errors.Add(DangerousHostConfig.TryGetValue(field, out var reason) ? reason : $"HostConfig.{field} is not supported by the runner");
        }

        foreach (var bind in host.Binds ?? [])
        {
            ValidateBind(bind, dataRoot, errors);
        }

        foreach (var (containerPort, bindings) in host.PortBindings ?? ImmutableSortedDictionary<string, ImmutableArray<PortBindingSpec>>.Empty)
        {
            if (!IsContainerPort(containerPort))
            {
                errors.Add($"HostConfig.PortBindings key '{containerPort}' is not a container port like 9200/tcp");
            }

            foreach (var binding in bindings.IsDefault ? [] : bindings)
            {
                if (!int.TryParse(binding.HostPort, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
                {
                    errors.Add($"HostConfig.PortBindings['{containerPort}'] host port '{binding.HostPort}' is not a port number between 1 and 65535");
                }
            }
        }

        if (host.RestartPolicy is { } restart && !RestartPolicies.Contains(restart.Name))
        {
            errors.Add($"HostConfig.RestartPolicy.Name '{restart.Name}' is not one of no, always, unless-stopped, on-failure");
        }

        if (host.Memory is < 0 || host.MemorySwap is < -1 || host.NanoCpus is < 0 || host.CpuShares is < 0 || host.CpuQuota is < -1 || host.CpuPeriod is < 0)
        {
            errors.Add("HostConfig resource limits (Memory, MemorySwap, NanoCpus, CpuShares, CpuQuota, CpuPeriod) must not be negative");
        }
    }

    private static void ValidateBind(string bind, string dataRoot, ImmutableArray<string>.Builder errors)
    {
        var mount = BindMount.TryParse(bind);
        if (mount is null)
        {
            errors.Add($"HostConfig.Binds entry '{bind}' is not of the form /host/path:/container/path[:options]");
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

    private static bool IsContainerPort(string value)
    {
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        var number = slash < 0 ? value : value[..slash];
        var protocol = slash < 0 ? "tcp" : value[(slash + 1)..];
        return int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            && port is >= 1 and <= 65535
            && protocol is "tcp" or "udp" or "sctp";
    }
}
