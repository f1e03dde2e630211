using Cloud.Allocator.Capacity;
using Cloud.Allocator.Configuration;
using Cloud.Shared.Allocators;

namespace Cloud.Allocator.Registration;

/// <summary>What the allocator advertises about itself (pure).</summary>
internal static class RegistrationBuilder
{
    public static AllocatorRegistration Build(ResolvedAllocatorOptions options, AllocatorMeta meta, CapacityPlan plan, DateTimeOffset startedAt)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(meta);
        ArgumentNullException.ThrowIfNull(plan);
        var tags = options.Tags.SetItems(meta.Tags);
        return new AllocatorRegistration
        {
            AllocatorId = options.AllocatorId,
            Host = options.HostAddress,
            Zone = options.Zone,
            Capacity = new AllocatorCapacity(new MemoryCapacity(plan.TotalMb, plan.UsedMb)),
            Tags = tags,
            MaintenanceMode = meta.MaintenanceMode,
            Instances = [.. plan.Decisions.Values.Where(d => d.Verdict != CapacityVerdict.Refused).Select(d => d.InstanceId)],
            Version = options.Version,
            StartedAt = startedAt,
        };
    }
}
