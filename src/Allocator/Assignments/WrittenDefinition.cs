using Cloud.Shared.Containers;

namespace Cloud.Allocator.Assignments;

/// <summary>A container definition this allocator wrote earlier, as found in ZooKeeper.</summary>
internal sealed record WrittenDefinition(string ContainerName, ContainerSpec Spec, int Version, string? InstanceId);
