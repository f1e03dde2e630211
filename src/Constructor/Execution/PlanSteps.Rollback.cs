using System.Collections.Immutable;
using Cloud.Constructor.Clusters;
using Cloud.Constructor.Elasticsearch;

namespace Cloud.Constructor.Execution;

/// <summary>
/// What a rollback undoes inside the cluster, in the reverse order of a grow and shrink: before the new
/// instances are removed, shards leave them (allocation filtering now names the new instances, so shards
/// return to the old ones) and the votes go back to the old masters; after they are removed, every
/// exclusion the plan or the rollback set is lifted, and allocation is enabled again after a rolling restart.
/// All of it within <see cref="ConstructorOptions.RollbackTimeout"/>; what could not be done is logged.
/// </summary>
public sealed partial class PlanSteps
{
    /// <summary>Before the new instances are unassigned: their shards and votes go back to the current plan's instances.</summary>
    public async Task<ImmutableArray<string>> PrepareRollbackAsync(PlanContext context, PlanAttempt attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(attempt);
        var added = context.Added;
        if (context.Current is null || added.IsEmpty)
        {
            return [];
        }

        var log = new List<string>();
        var window = RollbackWindow(context);
        var names = added.Select(i => i.InstanceName).ToList();

        // New nodes take shards as soon as they join (rebalancing), not only once the old ones are excluded.
        if (StartedNew(context, attempt))
        {
            var joined = string.Join(',', names);
            await WithinAsync(log, $"{ExcludeNameSetting}={joined}", () => TryAsync(window, log, $"{ExcludeNameSetting}={joined} (shards back to the current instances)", client => client.PutPersistentSettingsAsync(new Dictionary<string, string?> { [ExcludeNameSetting] = joined }, cancellationToken), cancellationToken, context.From));
            await WithinAsync(log, $"shards off {joined}", async () =>
            {
                try
                {
                    var shards = await WaitAsync<IReadOnlyList<CatShard>>(
                        async () =>
                        {
                            var client = await ClientAsync(window, context.From, cancellationToken)
                                ?? throw new ElasticsearchUnavailableException("no instance of the cluster answers");
                            var all = await client.GetShardsAsync(cancellationToken);
                            // Every copy started elsewhere: a copy merely gone from the new nodes (unassigned) is not yet safe.
                            return all.Any(s => s.State != "STARTED" || (s.Node is { } node && names.Any(n => node.Split("->", StringSplitOptions.TrimEntries).Contains(n)))) ? null : all;
                        },
                        window,
                        cancellationToken);
                    log.Add($"no shard left on {joined} ({shards.Count} shards in the cluster, all started)");
                }
                catch (ElasticsearchUnsupportedApiException ex)
                {
                    log.Add($"not done, the node does not offer _cat/shards: shards off {joined} ({ex.Message})");
                }
            });
        }

        if (Started(attempt, StepIds.ExcludeOldMastersFromVoting))
        {
            await WithinAsync(log, "voting exclusions cleared", () => TryAsync(window, log, "voting exclusions of the current masters cleared", client => client.ClearVotingExclusionsAsync(waitForRemoval: false, cancellationToken), cancellationToken, context.From));
        }

        // Elasticsearch may have given the new masters votes as soon as they joined: they give them back before
        // they go, or removing several at once could take the quorum with them.
        var masters = added.Where(i => i.IsMasterEligible).Select(i => i.InstanceName).ToList();
        if (masters.Count > 0 && (Started(attempt, StepIds.ExcludeOldMastersFromVoting) || StartedNew(context, attempt)))
        {
            await WithinAsync(log, "votes back", () => TryAsync(window, log, $"voting exclusions: {string.Join(',', masters)} (votes back to the current masters)", client => client.AddVotingExclusionsAsync(masters, cancellationToken), cancellationToken, context.From));
        }

        return [.. log];
    }

    /// <summary>After the new instances are unassigned (and kept ones are back at the current version): exclusions lifted, allocation enabled.</summary>
    public async Task<ImmutableArray<string>> FinishRollbackAsync(PlanContext context, PlanAttempt attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(attempt);
        if (context.Current is null)
        {
            return [];
        }

        var log = new List<string>();
        var window = RollbackWindow(context);
        var startedNew = StartedNew(context, attempt);
        if (startedNew || Started(attempt, StepIds.ExcludeOldFromAllocation))
        {
            await WithinAsync(log, $"{ExcludeNameSetting} cleared", () => TryAsync(window, log, $"{ExcludeNameSetting} cleared", client => client.PutPersistentSettingsAsync(new Dictionary<string, string?> { [ExcludeNameSetting] = null }, cancellationToken), cancellationToken, context.From));
        }

        if (Started(attempt, StepIds.ExcludeOldMastersFromVoting) || (startedNew && context.Added.Any(i => i.IsMasterEligible)))
        {
            await WithinAsync(log, "voting exclusions cleared", () => ClearVotingExclusionsAsync(window, context.Added, log, context.From, cancellationToken));
        }

        if (attempt.Steps.Any(s => s.StepId.StartsWith(StepIds.RollingRestartPrefix, StringComparison.Ordinal) && s.Status != StepStatuses.Pending))
        {
            await WithinAsync(log, "allocation enabled", () => TryAsync(window, log, "allocation enabled", client => client.PutPersistentSettingsAsync(new Dictionary<string, string?> { [AllocationEnableSetting] = null }, cancellationToken), cancellationToken, context.From));
        }

        return [.. log];
    }

    /// <summary>Whether new instances may have been started (and joined) in this attempt.</summary>
    private static bool StartedNew(PlanContext context, PlanAttempt attempt) =>
        !context.Added.IsEmpty && (Started(attempt, StepIds.StartNewInstances)
            || attempt.Steps.Any(s => s.StepId.StartsWith(StepIds.StartInstancePrefix, StringComparison.Ordinal) && s.Status != StepStatuses.Pending));

    private static bool Started(PlanAttempt attempt, string stepId) => attempt.Steps.Any(s => s.StepId == stepId && s.Status != StepStatuses.Pending);

    /// <summary>The rollback's own deadline: the plan's may have passed already (a timed-out plan rolls back too).</summary>
    private PlanContext RollbackWindow(PlanContext context) => context with { Deadline = timeProvider.GetUtcNow() + _options.RollbackTimeout };

    /// <summary>A rollback goes on when one of its calls cannot be made in time: what was not done is logged, not thrown.</summary>
    private static async Task WithinAsync(List<string> log, string what, Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (TimeoutException ex)
        {
            log.Add($"not done: {what} ({ex.Message})");
        }
        catch (ElasticsearchException ex)
        {
            log.Add($"not done: {what} ({ex.Message})");
        }
    }
}
