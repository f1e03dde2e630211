using Cloud.Allocator.Configuration;
using Cloud.Shared.Containers;

namespace Cloud.Allocator.Containers;

/// <summary>
/// Tells a definition change that comes only from a host-wide option (<c>HostAddress</c>, <c>PortBindIp</c>,
/// <c>StopTimeoutSeconds</c>, <c>ImageTemplate</c>) from one the assignment asked for (pure). The former
/// would recreate every instance of the host at once, so the allocator rolls it out one instance at a time.
/// </summary>
internal static class HostWideChange
{
    /// <returns>
    /// True when <paramref name="existing"/> is exactly what <paramref name="input"/> gives with the host-wide
    /// options the existing definition was written with: the assignment did not change, only the host's options.
    /// </returns>
    public static bool IsOnlyHostWide(ContainerSpec existing, InstanceSpecInput input, ResolvedAllocatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(existing);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(options);
        var binding = existing.HostConfig?.PortBindings?.GetValueOrDefault(ElasticsearchContainerSpecBuilder.HttpPortKey);
        var before = options with
        {
            HostAddress = ElasticsearchSettings.Find(existing.Env, ElasticsearchSettings.PublishHost) ?? options.HostAddress,
            PortBindIp = binding is { IsDefaultOrEmpty: false } b && b[0]?.HostIp is { } ip ? ip : options.PortBindIp,
            StopTimeoutSeconds = existing.StopTimeout ?? options.StopTimeoutSeconds,

            // The image as written, whatever template made it (a template without {version} gives that very image).
            ImageTemplate = string.IsNullOrWhiteSpace(input.Assignment.DockerImage) ? existing.Image : options.ImageTemplate,
        };
        var asBefore = ElasticsearchContainerSpecBuilder.Build(input, before);
        return ContainerSpecJson.Hash(asBefore) == ContainerSpecJson.Hash(existing);
    }
}
