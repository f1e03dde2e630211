using System.Collections.Immutable;
using System.Text.Json;

namespace Cloud.Shared.Allocators;

/// <summary>
/// An Elasticsearch instance the constructor assigns to an allocator,
/// <c>/cloud/allocators-work/&lt;allocator_id&gt;/&lt;instance_id&gt;</c>. The allocator turns it into a
/// container definition for its runner.
/// </summary>
public sealed record InstanceAssignment
{
    public required string ClusterId { get; init; }

    public required string ClusterName { get; init; }

    /// <summary>The node name inside the cluster, e.g. <c>instance-0000000001</c>.</summary>
    public required string InstanceName { get; init; }

    public required string Version { get; init; }

    /// <summary>Overrides the image the allocator would pick for <see cref="Version"/>.</summary>
    public string? DockerImage { get; init; }

    public required long MemoryMb { get; init; }

    public ImmutableArray<string> NodeRoles { get; init; } = ["master", "data", "ingest"];

    public required string Zone { get; init; }

    /// <summary>Master-eligible node names to bootstrap a new cluster with; empty when joining one that exists.</summary>
    public ImmutableArray<string> InitialMasterNodes { get; init; } = [];

    /// <summary>Elasticsearch settings from the plan's <c>user_settings</c>, passed through as given.</summary>
    public ImmutableSortedDictionary<string, JsonElement> UserSettings { get; init; } = ImmutableSortedDictionary<string, JsonElement>.Empty;

    /// <summary><c>started</c> (default) or <c>stopped</c>, when a plan has shut the instance down.</summary>
    public string DesiredState { get; init; } = "started";

    /// <summary>Bumped by the constructor to ask for a restart even when nothing else changed.</summary>
    public long Generation { get; init; }
}
