using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Cloud.Allocator.Configuration;
using Cloud.Shared.Allocators;
using Cloud.Shared.Containers;

namespace Cloud.Allocator.Containers;

/// <summary>
/// Turns an assignment into the container definition for the host's runner (pure and deterministic:
/// the same input always gives the same definition, hence the same hash, so a restarted allocator
/// rewrites nothing and the runner leaves the container alone).
/// </summary>
internal static class ElasticsearchContainerSpecBuilder
{
    public const int HttpContainerPort = 9200;
    public const int TransportContainerPort = 9300;
    public const string HttpPortKey = "9200/tcp";
    public const string TransportPortKey = "9300/tcp";
    private const long BytesPerMb = 1024L * 1024L;

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();

    public static string ImageFor(InstanceAssignment assignment, string imageTemplate)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        return string.IsNullOrWhiteSpace(assignment.DockerImage)
            ? imageTemplate.Replace("{version}", assignment.Version, StringComparison.Ordinal)
            : assignment.DockerImage;
    }

    public static ContainerSpec Build(InstanceSpecInput input, ResolvedAllocatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(options);
        var assignment = input.Assignment;
        var paths = InstancePaths.For(options.DataRoot, options.AllocatorId, input.InstanceId, assignment.ClusterId);
        var heapMb = HeapSize.ForMemoryMb(assignment.MemoryMb);

        var env = ImmutableArray.CreateBuilder<string>();
        env.Add(ElasticsearchSettings.Entry(ElasticsearchSettings.ClusterName, assignment.ClusterName));
        env.Add(ElasticsearchSettings.Entry(ElasticsearchSettings.NodeName, assignment.InstanceName));
        env.Add(ElasticsearchSettings.Entry(ElasticsearchSettings.NodeRoles, string.Join(',', assignment.NodeRoles)));
        env.Add(ElasticsearchSettings.Entry(ElasticsearchSettings.NodeZone, assignment.Zone));
        env.Add(ElasticsearchSettings.Entry(ElasticsearchSettings.NetworkHost, "0.0.0.0"));
        env.Add(ElasticsearchSettings.Entry(ElasticsearchSettings.PublishHost, options.HostAddress));
        env.Add(ElasticsearchSettings.Entry(ElasticsearchSettings.HttpPort, HttpContainerPort));
        env.Add(ElasticsearchSettings.Entry(ElasticsearchSettings.TransportPort, TransportContainerPort));
        env.Add(ElasticsearchSettings.Entry(ElasticsearchSettings.HttpPublishPort, input.Ports.Http));
        env.Add(ElasticsearchSettings.Entry(ElasticsearchSettings.TransportPublishPort, input.Ports.Transport));
        env.Add(ElasticsearchSettings.Entry(ElasticsearchSettings.PathData, InstancePaths.ContainerDataPath));
        env.Add(ElasticsearchSettings.Entry(ElasticsearchSettings.PathRepo, InstancePaths.ContainerSnapshotsPath));
        env.Add(ElasticsearchSettings.Entry(ElasticsearchSettings.SeedProviders, "file"));
        if (!input.SeedHosts.IsDefaultOrEmpty)
        {
            env.Add(ElasticsearchSettings.Entry(ElasticsearchSettings.SeedHosts, string.Join(',', input.SeedHosts)));
        }

        if (!assignment.InitialMasterNodes.IsDefaultOrEmpty)
        {
            env.Add(ElasticsearchSettings.Entry(ElasticsearchSettings.InitialMasterNodes, string.Join(',', assignment.InitialMasterNodes)));
        }

        env.Add(ElasticsearchSettings.Entry(ElasticsearchSettings.JavaOptions,
            string.Create(CultureInfo.InvariantCulture, $"-Xms{heapMb}m -Xmx{heapMb}m")));
        foreach (var (key, value) in ElasticsearchSettings.FlattenUserSettings(assignment.UserSettings))
        {
            env.Add(ElasticsearchSettings.Entry(key, value));
        }

        var memoryBytes = assignment.MemoryMb * BytesPerMb;
        return new ContainerSpec
        {
            Image = ImageFor(assignment, options.ImageTemplate),
            Env = env.ToImmutable(),
            Labels = ImmutableSortedDictionary.CreateRange<string, string>(StringComparer.Ordinal,
            [
                new(ContainerLabels.Allocator, options.AllocatorId),
                new(ContainerLabels.ClusterId, assignment.ClusterId),
                new(ContainerLabels.Instance, assignment.InstanceName),
                new(ContainerLabels.InstanceId, input.InstanceId),
                new(ContainerLabels.Generation, assignment.Generation.ToString(CultureInfo.InvariantCulture)),
            ]),
            ExposedPorts = ImmutableSortedDictionary.CreateRange<string, JsonElement>(StringComparer.Ordinal,
            [
                new(HttpPortKey, EmptyObject),
                new(TransportPortKey, EmptyObject),
            ]),
            HostConfig = new HostConfigSpec
            {
                PortBindings = ImmutableSortedDictionary.CreateRange<string, ImmutableArray<PortBindingSpec>>(StringComparer.Ordinal,
                [
                    new(HttpPortKey, [Binding(options.PortBindIp, input.Ports.Http)]),
                    new(TransportPortKey, [Binding(options.PortBindIp, input.Ports.Transport)]),
                ]),
                Binds =
                [
                    $"{paths.DataDirectory}:{InstancePaths.ContainerDataPath}",
                    $"{paths.UnicastHostsFile}:{InstancePaths.ContainerUnicastHostsPath}:ro",
                    $"{paths.SnapshotRepository}:{InstancePaths.ContainerSnapshotsPath}",
                ],
                Memory = memoryBytes,
                MemorySwap = memoryBytes,
                RestartPolicy = new RestartPolicySpec(RestartPolicySpec.UnlessStopped),
            },
            StopSignal = "SIGTERM",
            StopTimeout = options.StopTimeoutSeconds,
        };
    }

    /// <summary>The memory a written definition grants, in MB; null when it sets none.</summary>
    public static long? MemoryMbOf(ContainerSpec spec) =>
        spec?.HostConfig?.Memory is { } bytes and > 0 ? bytes / BytesPerMb : null;

    /// <summary>The seed hosts a written definition carries (empty when it has none).</summary>
    public static ImmutableArray<string> SeedHostsOf(ContainerSpec spec) =>
        ElasticsearchSettings.Find(spec?.Env, ElasticsearchSettings.SeedHosts) is { Length: > 0 } value
            ? [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)]
            : [];

    private static PortBindingSpec Binding(string hostIp, int hostPort) =>
        new(hostIp, hostPort.ToString(CultureInfo.InvariantCulture));
}
