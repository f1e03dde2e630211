using Cloud.Allocator.Capacity;
using Cloud.Allocator.Ports;
using Cloud.Shared.Allocators;
using Cloud.Shared.Containers;

namespace Cloud.Allocator.Status;

/// <summary>What is known of one assignment at the end of a reconcile pass.</summary>
/// <param name="Decision">Capacity accounting's verdict.</param>
/// <param name="Ports">The reserved ports; null when the range had none left.</param>
/// <param name="DefinitionWritten">Whether a container definition is in force for it.</param>
/// <param name="Observation">What the runner reports of its container, if anything.</param>
/// <param name="Probe">The last HTTP probe, if one was made.</param>
/// <param name="Error">What went wrong on the allocator's side for this instance this pass (its files, say).</param>
internal sealed record InstanceStatusInput(
    InstanceAssignment Assignment,
    CapacityDecision Decision,
    InstancePorts? Ports,
    bool DefinitionWritten,
    ContainerObservation? Observation,
    NodeProbe? Probe,
    string? Error = null);
