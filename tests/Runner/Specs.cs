using System.Collections.Immutable;
using Cloud.Runner.Docker;
using Cloud.Runner.Reconcile;
using Cloud.Shared.Containers;

namespace Cloud.Runner.Tests;

/// <summary>Small builders for definitions and observed containers used across the unit tests.</summary>
internal static class Specs
{
    public const string DataRoot = "/srv/cloud-data";

    public static ContainerSpec Elasticsearch(string? restartPolicy = RestartPolicySpec.UnlessStopped, int? maxRetries = null) => new()
    {
        Image = "cloud/elasticsearch:8.15.0",
        Env = ["node.name=es-1", "cluster.name=c1"],
        HostConfig = new HostConfigSpec
        {
            PortBindings = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal,
                [new KeyValuePair<string, ImmutableArray<PortBindingSpec>>("9200/tcp", [new PortBindingSpec("127.0.0.1", "19200")])]),
            Binds = [$"{DataRoot}/es-1/data:/usr/share/elasticsearch/data"],
            Memory = 512L * 1024 * 1024,
            CpuShares = 512,
            RestartPolicy = restartPolicy is null ? null : new RestartPolicySpec(restartPolicy, maxRetries),
        },
        StopSignal = "SIGTERM",
        StopTimeout = 5,
    };

    public static DesiredContainer Desired(string name, ContainerSpec? spec = null) => DesiredContainer.Valid(name, spec ?? Elasticsearch());

    public static RuntimeContainerState Observed(string name, string status, string? hash, int? exitCode = null, string id = "c-1", int restartCount = 0) => new()
    {
        Id = id,
        Name = name,
        OwnerHostId = "host-1",
        DefinitionHash = hash,
        Status = status,
        ExitCode = exitCode,
        RestartCount = restartCount,
        StartedAt = DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture),
    };
}
