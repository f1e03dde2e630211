using Cloud.Allocator.Capacity;
using Cloud.Allocator.Configuration;
using Cloud.Shared.Allocators;
using Cloud.Shared.Containers;

namespace Cloud.Allocator.Status;

/// <summary>Composes the status an allocator publishes for an instance (pure).</summary>
internal static class InstanceStatusComposer
{
    public static InstanceStatus Compose(InstanceStatusInput input, ResolvedAllocatorOptions options, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(options);
        var assignment = input.Assignment;
        var (state, error) = StateOf(input, options);
        var running = state is not (ContainerStates.Refused or InstanceStates.Stopped);
        return new InstanceStatus
        {
            ClusterId = assignment.ClusterId,
            InstanceName = assignment.InstanceName,
            AllocatorId = options.AllocatorId,
            Zone = options.Zone,
            Host = options.HostAddress,
            HttpPort = input.Ports?.Http ?? 0,
            TransportPort = input.Ports?.Transport ?? 0,
            ContainerState = state,
            ContainerHealth = input.Observation?.Health,
            Error = error,
            Probe = running ? input.Probe : null,
            UpdatedAt = now,
        };
    }

    /// <summary>The status without its timestamps: two statuses that are the same here need no write.</summary>
    public static InstanceStatus WithoutTimestamps(InstanceStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        return status with { UpdatedAt = default, Probe = status.Probe is null ? null : status.Probe with { ProbedAt = default } };
    }

    private static (string State, string? Error) StateOf(InstanceStatusInput input, ResolvedAllocatorOptions options)
    {
        if (input.Decision.Verdict == CapacityVerdict.Refused)
        {
            return (ContainerStates.Refused, input.Decision.Reason);
        }

        if (input.Ports is null)
        {
            return (ContainerStates.Refused, $"no free ports left in {options.PortRange}");
        }

        var observed = input.Observation;
        if (!input.DefinitionWritten)
        {
            // Desired stopped: the runner may still be removing the container it had.
            return observed is null || observed.State == ContainerStates.Missing
                ? (InstanceStates.Stopped, null)
                : (observed.State, observed.Error);
        }

        var error = input.Error ?? observed?.Error ?? input.Decision.Reason;
        return (observed?.State ?? InstanceStates.Pending, error);
    }
}
