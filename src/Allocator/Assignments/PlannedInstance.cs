using Cloud.Allocator.Capacity;
using Cloud.Allocator.Ports;
using Cloud.Shared.Allocators;

namespace Cloud.Allocator.Assignments;

/// <summary>One assignment after a pass's decisions: its verdict, ports, container, whether a definition is in force, and its own error.</summary>
internal sealed record PlannedInstance(
    string InstanceId,
    InstanceAssignment Assignment,
    CapacityDecision Decision,
    InstancePorts? Ports,
    string ContainerName,
    bool DefinitionInForce,
    string? Error = null,
    string? DefinitionHash = null);
