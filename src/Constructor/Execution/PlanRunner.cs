using System.Collections.Immutable;
using System.Diagnostics;
using Cloud.Constructor.Clusters;
using Cloud.Constructor.Plans;
using Cloud.Constructor.Routing;
using Cloud.Constructor.Telemetry;
using Cloud.Shared.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cloud.Constructor.Execution;

/// <summary>
/// Runs a cluster's pending plan as a persisted state machine: each step is recorded as running before
/// it starts and with its outcome after, in the plan node (compare-and-swap on its version). A new
/// leader finds the running attempt and goes on from the first step not finished. A failed step, a
/// passed deadline or a cancel rolls back to the current plan.
/// </summary>
public sealed partial class PlanRunner(
    ClusterStore store,
    IPlanSteps steps,
    PlanCancelWatcher cancelWatcher,
    AssignmentWriter assignments,
    RoutingWriter routing,
    PlanMetrics metrics,
    RoleTelemetry telemetry,
    IOptions<ConstructorOptions> options,
    TimeProvider timeProvider,
    ILogger<PlanRunner> logger)
{
    private readonly ConstructorOptions _options = options.Value;

    /// <summary>Runs the pending plan (and a second phase, if the first records one) to its end.</summary>
    public async Task RunAsync(string clusterId, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var snapshot = await store.TryGetAsync(clusterId, cancellationToken);
            if (snapshot?.Plans.Pending is not { } pending)
            {
                return;
            }

            await RunAttemptAsync(snapshot, pending, cancellationToken);
        }
    }

    private async Task RunAttemptAsync(ClusterSnapshot snapshot, PlanRecord pending, CancellationToken cancellationToken)
    {
        var clusterId = snapshot.Record.ClusterId;
        var attempt = snapshot.Plans.Attempts.LastOrDefault(a => a.PlanId == pending.PlanId && a.Status == "running");
        var resumed = attempt is not null;
        var stepIds = StepCatalog.StepsFor(pending, snapshot.Plans.Current);
        attempt ??= new PlanAttempt
        {
            AttemptId = $"{pending.PlanId}-{snapshot.Plans.Attempts.Count(a => a.PlanId == pending.PlanId) + 1}",
            PlanId = pending.PlanId,
            Strategy = pending.Strategy,
            Started = timeProvider.GetUtcNow(),
            Steps = [.. stepIds.Select(id => new StepRecord { StepId = id })],
        };
        using var trace = PlanTracing.StartAttempt(telemetry.ActivitySource, clusterId, attempt);
        attempt = attempt with { ExecutedBy = attempt.ExecutedBy.Add(_options.ConstructorId), TraceId = attempt.TraceId ?? trace?.TraceId.ToHexString() };
        if (!await SaveAttemptAsync(clusterId, pending.PlanId, attempt, cancellationToken))
        {
            return;
        }

        if (resumed)
        {
            LogResumed(clusterId, pending.PlanId, attempt.Steps.FirstOrDefault(s => !StepStatuses.IsFinished(s.Status))?.StepId ?? "-");
        }

        var context = new PlanContext(snapshot.Record, pending, snapshot.Plans.Current, attempt.Started.AddSeconds(pending.TimeoutSeconds ?? PlanAcceptance.DefaultTimeoutSeconds(pending.Plan)));
        foreach (var stepId in stepIds)
        {
            if (attempt.Steps.FirstOrDefault(s => s.StepId == stepId) is { } done && StepStatuses.IsFinished(done.Status))
            {
                continue;
            }

            for (var tries = 1; ; tries++)
            {
                var latest = await store.TryGetAsync(clusterId, cancellationToken);
                if (latest?.Plans.Pending?.PlanId != pending.PlanId)
                {
                    return;
                }

                // Past the point of no return the old instances are gone: going back would leave the cluster
                // with nothing, so a cancel or a passed deadline no longer rolls back; the plan goes forward.
                var forwardOnly = IsPastNoReturn(attempt, stepId);
                if (latest.Plans.Pending.CancelRequested && !forwardOnly)
                {
                    await RollBackAsync(context, attempt, "cancelled", "the pending plan was cancelled", cancellationToken);
                    return;
                }

                if (timeProvider.GetUtcNow() > context.Deadline && !forwardOnly)
                {
                    await RollBackAsync(context, attempt, "error", $"plan timed out (deadline {context.Deadline:O})", cancellationToken);
                    return;
                }

                var started = timeProvider.GetUtcNow();
                attempt = attempt.WithStep(new StepRecord { StepId = stepId, Status = StepStatuses.Running, Started = started });
                if (!await SaveAttemptAsync(clusterId, pending.PlanId, attempt, cancellationToken))
                {
                    return;
                }

                if (stepId == StepIds.RecordPlan)
                {
                    await RecordPlanAsync(context, attempt, started, "success", null, cancellationToken);
                    CrashIfAskedAfter(stepId);
                    return;
                }

                var watch = Stopwatch.StartNew();
                StepOutcome outcome;
                bool cancelled;
                using (var span = PlanTracing.StartStep(telemetry.ActivitySource, stepId))
                {
                    LogStep(clusterId, pending.PlanId, stepId);
                    (outcome, cancelled) = await RunStepAsync(stepId, context, cancellable: !forwardOnly, cancellationToken);
                    if (string.Equals(_options.FailAfterStep, stepId, StringComparison.Ordinal) && outcome.Status != StepStatuses.Error)
                    {
                        LogFailHook(stepId);
                        outcome = StepOutcome.Error([.. outcome.InfoLog, "failed by the test hook Constructor:FailAfterStep (what the step did stays)"]);
                    }

                    PlanTracing.Record(span, outcome.Status);
                }

                attempt = attempt.WithStep(new StepRecord
                {
                    StepId = stepId,
                    Status = outcome.Status,
                    Started = started,
                    Completed = timeProvider.GetUtcNow(),
                    DurationMs = watch.ElapsedMilliseconds,
                    InfoLog = outcome.InfoLog,
                });
                if (!await SaveAttemptAsync(clusterId, pending.PlanId, attempt, cancellationToken))
                {
                    return;
                }

                CrashIfAskedAfter(stepId);
                if (cancelled)
                {
                    await RollBackAsync(context, attempt, "cancelled", "the pending plan was cancelled", cancellationToken);
                    return;
                }

                if (outcome.Status != StepStatuses.Error)
                {
                    break;
                }

                var reason = $"step {stepId} failed: {string.Join("; ", outcome.InfoLog)}";
                if (!forwardOnly)
                {
                    await RollBackAsync(context, attempt, "error", reason, cancellationToken);
                    return;
                }

                if (timeProvider.GetUtcNow() > context.Deadline)
                {
                    // The plan's instances are what runs now: record that truthfully, with the failure.
                    await RecordPlanAsync(context, attempt, timeProvider.GetUtcNow(), "error", $"{reason} (past the plan's deadline; not rolled back: the old instances are stopped)", cancellationToken);
                    return;
                }

                LogRetryingStep(clusterId, pending.PlanId, stepId, reason);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(10_000, _options.PollInterval.TotalMilliseconds * Math.Pow(2, Math.Min(tries, 6)))), timeProvider, cancellationToken);
            }
        }
    }

    /// <summary>Whether the old instances may already be stopped when <paramref name="stepId"/> runs (see <see cref="StepCatalog.PointOfNoReturn"/>).</summary>
    private static bool IsPastNoReturn(PlanAttempt attempt, string stepId) =>
        stepId == StepCatalog.PointOfNoReturn
        || attempt.Steps.Any(s => s.StepId == StepCatalog.PointOfNoReturn && s.Status != StepStatuses.Pending);

    /// <summary>Runs one step; a cancel of the pending plan while it runs stops it (unless it may not be stopped).</summary>
    private async Task<(StepOutcome Outcome, bool Cancelled)> RunStepAsync(string stepId, PlanContext context, bool cancellable, CancellationToken cancellationToken)
    {
        using var step = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        // A cancel must not wait for a step that waits on something that never comes (an image that does
        // not exist, say): the step is stopped where it is and the plan rolled back.
        var cancelWatch = cancellable ? cancelWatcher.CancelWhenRequestedAsync(context.ClusterId, context.Pending.PlanId, step, cancellationToken) : Task.CompletedTask;
        try
        {
            return (await steps.RunAsync(stepId, context, step.Token), false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (StepOutcome.Error("stopped: the pending plan was cancelled while this step ran"), true);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return (StepOutcome.Error($"{ex.GetType().Name}: {ex.Message}"), false);
        }
        finally
        {
            await step.CancelAsync();
            await cancelWatch;
        }
    }

    /// <summary>Makes the pending plan current; <paramref name="outcome"/> is <c>error</c> only for a plan that failed past its point of no return.</summary>
    private async Task RecordPlanAsync(PlanContext context, PlanAttempt attempt, DateTimeOffset started, string outcome, string? error, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var finished = attempt.WithStep(new StepRecord
        {
            StepId = StepIds.RecordPlan,
            Status = StepStatuses.Success,
            Started = started,
            Completed = now,
            DurationMs = (long)(now - started).TotalMilliseconds,
            InfoLog = [$"plan {context.Pending.PlanId} is current"],
        }) with { Status = outcome, Completed = now, Error = error };
        var pending = context.Pending;
        var done = pending with { Outcome = outcome, CompletedAt = now, CancelRequested = false };
        var next = outcome == "success" && pending.NextPhaseVersion is { } version
            ? pending with
            {
                PlanId = pending.PlanId + "-phase-2",
                Plan = pending.Plan with { Elasticsearch = pending.Plan.Elasticsearch! with { Version = version } },
                Strategy = PlanStrategies.Rolling,
                Phase = 2,
                NextPhaseVersion = null,
                SubmittedAt = now,
            }
            : null;
        var written = await store.UpdateAsync(
            context.ClusterId,
            s => s.Plans.Pending?.PlanId != pending.PlanId ? null : s.Plans.WithAttempt(finished).WithHistory(done) with
            {
                Current = done,
                Pending = next,
                Lifecycle = pending.Kind == PlanKinds.Shutdown ? "stopped" : "running",
            },
            cancellationToken);
        if (written?.Plans.Current?.PlanId == pending.PlanId && written.Plans.Current.CompletedAt == now)
        {
            LogPlanDone(context.ClusterId, pending.PlanId);
            metrics.Ended(outcome == "success" ? PlanMetrics.Succeeded : PlanMetrics.Failed, pending.Kind);
        }
    }

    /// <summary>Back to the current plan: new instances unassigned, kept ones at the current version, routing as before.</summary>
    private async Task RollBackAsync(PlanContext context, PlanAttempt attempt, string outcome, string reason, CancellationToken cancellationToken)
    {
        LogRollingBack(context.ClusterId, context.Pending.PlanId, reason);
        var started = timeProvider.GetUtcNow();
        var log = new List<string> { reason };

        // Shards and votes back to the current instances before the new ones go (they may hold the only copies by now).
        log.AddRange(await steps.PrepareRollbackAsync(context, attempt, cancellationToken));
        foreach (var instance in context.Added)
        {
            if (await assignments.RemoveAsync(context.ClusterId, instance, cancellationToken))
            {
                log.Add($"{instance.InstanceName}: unassigned");
            }
        }

        if (context.Current is { } current)
        {
            foreach (var instance in current.Instances)
            {
                var existing = await assignments.ReadAsync(context.ClusterId, instance, cancellationToken);
                if (existing is not null && existing.Version != current.Plan.Version)
                {
                    await assignments.WriteAsync(context.ClusterId, instance, PlanSteps.AssignmentFor(context, current, instance, existing), cancellationToken);
                    log.Add($"{instance.InstanceName}: back to {current.Plan.Version}");
                }
            }
        }

        log.AddRange(await steps.FinishRollbackAsync(context, attempt, cancellationToken));
        var routed = context.Pending.Kind == PlanKinds.Shutdown || context.Current is null
            ? []
            : context.From.Select(i => i.InstanceName).ToImmutableArray();
        var now = timeProvider.GetUtcNow();
        var closed = attempt.WithStep(new StepRecord
        {
            StepId = StepIds.Rollback,
            Status = StepStatuses.Success,
            Started = started,
            Completed = now,
            DurationMs = (long)(now - started).TotalMilliseconds,
            InfoLog = [.. log],
        }) with { Status = outcome, Completed = now, Error = reason };
        var written = await store.UpdateAsync(
            context.ClusterId,
            s => s.Plans.Pending?.PlanId != context.Pending.PlanId ? null : s.Plans.WithAttempt(closed).WithHistory(context.Pending with { Outcome = outcome, CompletedAt = now }) with
            {
                Pending = null,
                RoutedInstances = routed,
            },
            cancellationToken);
        if (written is not null)
        {
            await routing.WriteAsync(context.ClusterId, written.Plans, cancellationToken);
            if (written.Plans.Attempts.Any(a => a.AttemptId == closed.AttemptId && a.Completed == now))
            {
                metrics.Ended(outcome == "cancelled" ? PlanMetrics.Cancelled : PlanMetrics.RolledBack, context.Pending.Kind);
            }
        }
    }

    /// <summary>Records the attempt in the latest plans, unless the pending plan changed meanwhile.</summary>
    private async Task<bool> SaveAttemptAsync(string clusterId, string planId, PlanAttempt attempt, CancellationToken cancellationToken)
    {
        var written = await store.UpdateAsync(
            clusterId,
            s => s.Plans.Pending?.PlanId != planId ? null : s.Plans.WithAttempt(attempt),
            cancellationToken);
        return written?.Plans.Pending?.PlanId == planId && written.Plans.Attempts.Any(a => a.AttemptId == attempt.AttemptId);
    }

    private void CrashIfAskedAfter(string stepId)
    {
        if (string.Equals(_options.CrashAfterStep, stepId, StringComparison.Ordinal))
        {
            LogCrashHook(stepId);
            Process.GetCurrentProcess().Kill();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster {ClusterId}: plan {PlanId} step {StepId}")]
    private partial void LogStep(string clusterId, string planId, string stepId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster {ClusterId}: plan {PlanId} resumed at step {StepId}")]
    private partial void LogResumed(string clusterId, string planId, string stepId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster {ClusterId}: plan {PlanId} is current")]
    private partial void LogPlanDone(string clusterId, string planId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster {ClusterId}: plan {PlanId} rolls back: {Reason}")]
    private partial void LogRollingBack(string clusterId, string planId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster {ClusterId}: plan {PlanId} is past its point of no return; retrying step {StepId} ({Reason})")]
    private partial void LogRetryingStep(string clusterId, string planId, string stepId, string reason);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Test hook Constructor:FailAfterStep: step {StepId} recorded as failed")]
    private partial void LogFailHook(string stepId);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Test hook Constructor:CrashAfterStep: killing this process after step {StepId}")]
    private partial void LogCrashHook(string stepId);
}
