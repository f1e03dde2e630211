using Cloud.Allocator.Capacity;
using Cloud.Allocator.Configuration;
using Cloud.Shared.Allocators;

namespace Cloud.Allocator.Registration;

/// <summary>What the allocator advertises about itself (pure).</summary>
internal static class RegistrationBuilder
{
    public static AllocatorRegistration Build(AllocatorSettings settings, AllocatorMeta meta, CapacityPlan plan, DateTimeOffset startedAt)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(meta);
        ArgumentNullException.ThrowIfNull(plan);
        var tags = settings.Tags.SetItems(meta.Tags);
        return new AllocatorRegistration
        {
            AllocatorId = settings.AllocatorId,
            Host = settings.HostAddress,
            Zone = settings.Zone,
            Capacity = new AllocatorCapacity(new MemoryCapacity(plan.TotalMb, plan.UsedMb)),
            Tags = tags,
            MaintenanceMode = meta.MaintenanceMode,
            Instances = [.. plan.Decisions.Values.Where(d => d.Verdict != CapacityVerdict.Refused).Select(d => d.InstanceId)],
            Version = settings.Version,
            StartedAt = startedAt,
        };
    }
}
