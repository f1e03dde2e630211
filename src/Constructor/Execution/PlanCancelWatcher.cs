using Cloud.Constructor.Clusters;
using Cloud.ZooKeeper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cloud.Constructor.Execution;

/// <summary>
/// Watches a running step's plan for a cancel (<c>DELETE .../plan/pending</c>), so that a step waiting on
/// something that never comes is stopped where it is instead of at the plan's deadline.
/// </summary>
public sealed partial class PlanCancelWatcher(ClusterStore store, IOptions<ConstructorOptions> options, TimeProvider timeProvider, ILogger<PlanCancelWatcher> logger)
{
    private readonly ConstructorOptions _options = options.Value;

    /// <summary>
    /// Re-reads the plan every poll interval and cancels <paramref name="step"/> once the pending plan asks to
    /// be cancelled (or is no longer <paramref name="planId"/>). Ends when the step ends.
    /// </summary>
    public async Task CancelWhenRequestedAsync(string clusterId, string planId, CancellationTokenSource step, CancellationToken leading)
    {
        ArgumentNullException.ThrowIfNull(step);
        try
        {
            while (!step.IsCancellationRequested)
            {
                await Task.Delay(_options.PollInterval, timeProvider, step.Token);
                var latest = await store.TryGetAsync(clusterId, step.Token);
                if (latest?.Plans.Pending is not { } pending || pending.PlanId != planId || pending.CancelRequested)
                {
                    LogCancellingStep(clusterId, planId);
                    await step.CancelAsync();
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (step.IsCancellationRequested)
        {
            // The step ended (or the leadership did): nothing left to watch.
        }
        catch (Exception ex) when (ex is ZooKeeperException or TimeoutException && !leading.IsCancellationRequested)
        {
            // Reading the plan failed: the step goes on, and the runner checks for a cancel before the next one.
            LogWatchFailed(ex, clusterId, planId);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster {ClusterId}: plan {PlanId} was cancelled; stopping its running step")]
    private partial void LogCancellingStep(string clusterId, string planId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster {ClusterId}: plan {PlanId}: could not check for a cancel while a step runs")]
    private partial void LogWatchFailed(Exception exception, string clusterId, string planId);
}
