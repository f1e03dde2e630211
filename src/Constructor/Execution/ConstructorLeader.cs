using Cloud.Constructor.Clusters;
using Cloud.Shared.Coordination;
using Cloud.Shared.Hosting;
using Cloud.ZooKeeper;
using Cloud.ZooKeeper.Recipes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cloud.Constructor.Execution;

/// <summary>
/// Several constructors may run; the one holding <c>/cloud/constructor/leader</c> executes plans and
/// remediates, the others only serve the API. Leadership lost (connection dropped, session expired)
/// cancels every running plan at once; the next leader resumes them from their recorded steps.
/// </summary>
public sealed partial class ConstructorLeader(
    ZooKeeperConnection connection,
    ClusterStore store,
    PlanRunner runner,
    Remediation remediation,
    IOptions<ConstructorOptions> options,
    TimeProvider timeProvider,
    ILogger<ConstructorLeader> logger) : BackgroundService
{
    private readonly ConstructorOptions _options = options.Value;
    private readonly HashSet<string> _unreadable = new(StringComparer.Ordinal);

    /// <summary>True while this constructor leads (for <c>/health</c> and tests).</summary>
    public bool IsLeader { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var client = await connection.GetClientAsync(stoppingToken);
                await client.CreateRecursiveAsync(CloudPaths.ConstructorLeader, cancellationToken: stoppingToken);
                var election = new LeaderElection(client, CloudPaths.ConstructorLeader, _options.ConstructorId);
                await using var leadership = await election.AcquireAsync(stoppingToken);
                using var leading = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, leadership.Lost);
                IsLeader = true;
                LogLeading(_options.ConstructorId);
                failures = 0;
                await LeadAsync(leading.Token);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ErrorPolicy.IsRetried(ex, stoppingToken))
            {
                LogLeadershipLost(ex, _options.ConstructorId);
                failures++;
                var backoff = TimeSpan.FromMilliseconds(Math.Min(10_000, 200 * Math.Pow(2, Math.Min(failures, 6))) * (0.5 + Random.Shared.NextDouble()));
                await Task.Delay(backoff, timeProvider, stoppingToken);
            }
            finally
            {
                IsLeader = false;
            }
        }
    }

    private async Task LeadAsync(CancellationToken cancellationToken)
    {
        var running = new Dictionary<string, Task>(StringComparer.Ordinal);
        try
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                foreach (var (clusterId, task) in running.Where(r => r.Value.IsCompleted).ToList())
                {
                    running.Remove(clusterId);
                    if (task.Exception is { } fault)
                    {
                        LogPlanLoopFailed(fault.InnerException ?? fault, clusterId);
                    }
                }

                try
                {
                    await remediation.RunOnceAsync(cancellationToken);
                    foreach (var clusterId in await store.ListIdsAsync(cancellationToken))
                    {
                        if (!running.ContainsKey(clusterId) && await HasPendingPlanAsync(clusterId, cancellationToken))
                        {
                            running[clusterId] = Task.Run(() => runner.RunAsync(clusterId, cancellationToken), cancellationToken);
                        }
                    }
                }
                catch (Exception ex) when (ErrorPolicy.IsRetried(ex, cancellationToken))
                {
                    LogPassFailed(ex);
                }

                await Task.Delay(_options.PollInterval, timeProvider, cancellationToken);
            }
        }
        finally
        {
            try
            {
                await Task.WhenAll(running.Values);
            }
            catch (Exception)
            {
                // Cancelled with the leadership; the next leader resumes.
            }
        }
    }

    private async Task<bool> HasPendingPlanAsync(string clusterId, CancellationToken cancellationToken)
    {
        try
        {
            var pending = (await store.TryGetAsync(clusterId, cancellationToken))?.Plans.Pending is not null;
            _unreadable.Remove(clusterId);
            return pending;
        }
        catch (UnreadableClusterException ex)
        {
            // Said once, not on every pass, until the record is readable again.
            if (_unreadable.Add(clusterId))
            {
                LogClusterUnreadable(ex, clusterId);
            }

            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Cluster {ClusterId} is skipped: its record cannot be read")]
    private partial void LogClusterUnreadable(Exception exception, string clusterId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Constructor {ConstructorId} leads: executing plans and remediating")]
    private partial void LogLeading(string constructorId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Constructor {ConstructorId} lost or could not take leadership; trying again")]
    private partial void LogLeadershipLost(Exception exception, string constructorId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Plan loop of cluster {ClusterId} failed; it is retried on the next pass")]
    private partial void LogPlanLoopFailed(Exception exception, string clusterId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Leader pass failed; retrying")]
    private partial void LogPassFailed(Exception exception);
}
