using System.Collections.Immutable;
using Cloud.Constructor.Clusters;
using Cloud.Constructor.Infrastructure;
using Cloud.Constructor.Plans;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cloud.Constructor.Execution;

/// <summary>
/// Replaces the instances of allocators that have been gone (no ephemeral registration) longer than
/// the grace period, in the same zone, with a plan like any other. The API shows such instances as
/// unhealthy as soon as the allocator is gone; only the replacement waits for the grace period, so a
/// host that reboots does not get its instances moved.
/// </summary>
public sealed partial class Remediation(
    ClusterStore store,
    PlatformReader platform,
    IOptions<ConstructorOptions> options,
    TimeProvider timeProvider,
    ILogger<Remediation> logger)
{
    private readonly Dictionary<string, DateTimeOffset> _goneSince = new(StringComparer.Ordinal);
    private readonly ConstructorOptions _options = options.Value;

    /// <summary>One pass: notes which allocators are gone and plans replacements for those gone too long.</summary>
    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var allocators = await platform.ReadAllocatorsAsync(cancellationToken);
        var now = timeProvider.GetUtcNow();
        var gone = allocators.Where(a => !a.Connected).Select(a => a.AllocatorId).ToHashSet(StringComparer.Ordinal);
        foreach (var id in _goneSince.Keys.Where(id => !gone.Contains(id)).ToList())
        {
            _goneSince.Remove(id);
        }

        foreach (var id in gone)
        {
            _goneSince.TryAdd(id, now);
        }

        var expired = _goneSince.Where(g => now - g.Value >= _options.AllocatorGracePeriod).Select(g => g.Key).ToImmutableHashSet(StringComparer.Ordinal);
        if (expired.IsEmpty)
        {
            return;
        }

        foreach (var clusterId in await store.ListIdsAsync(cancellationToken))
        {
            var snapshot = await store.TryGetReadableAsync(clusterId, cancellationToken);
            if (snapshot?.Plans is not { Pending: null, Lifecycle: "running", Current: { } current }
                || !current.Instances.Any(i => expired.Contains(i.AllocatorId)))
            {
                continue;
            }

            var dead = current.Instances.Where(i => expired.Contains(i.AllocatorId)).Select(i => i.AllocatorId).ToImmutableHashSet(StringComparer.Ordinal);
            var result = await PlanSubmission.SubmitAsync(
                store,
                clusterId,
                current.Plan with { Transient = (current.Plan.Transient ?? new TransientSpec()) with { Strategy = PlanStrategies.GrowAndShrink } },
                [.. allocators.Select(a => a.ToCandidate())],
                _options.AvailableVersions,
                $"remediation:{string.Join(',', dead.Order(StringComparer.Ordinal))}",
                now,
                dead,
                cancellationToken);
            if (result.IsAccepted)
            {
                LogReplacing(clusterId, string.Join(',', dead), result.Pending!.PlanId);
            }
            else
            {
                LogCannotReplace(clusterId, string.Join(',', dead), string.Join("; ", result.Errors.Select(e => e.Message)));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster {ClusterId}: allocator(s) {Allocators} gone past the grace period; replacement plan {PlanId}")]
    private partial void LogReplacing(string clusterId, string allocators, string planId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Cluster {ClusterId}: cannot replace the instances of gone allocator(s) {Allocators}: {Reason}")]
    private partial void LogCannotReplace(string clusterId, string allocators, string reason);
}
