using System.Collections.Immutable;
using Cloud.ElasticsearchNode.Cluster.Allocation;
using Cloud.ElasticsearchNode.Cluster.State;
using Cloud.ElasticsearchNode.Cluster.Transport;
using Microsoft.Extensions.Logging;

namespace Cloud.ElasticsearchNode.Cluster.Coordination;

internal sealed partial class Coordinator
{
    private const int MaxBatch = 64;

    /// <summary>Queues a change for the master (this node must be it); completes with the committed state.</summary>
    public Task<ClusterState> SubmitAsync(string source, Func<ClusterState, ClusterState> update, CancellationToken cancellationToken)
    {
        if (Mode != CoordinatorMode.Leader)
        {
            throw HasMaster ? ClusterException.NotMaster(source) : ClusterException.MasterNotDiscovered();
        }

        var task = new MasterTask(source, update);
        if (!_masterTasks.Writer.TryWrite(task))
        {
            throw ClusterException.NotMaster(source);
        }

        return task.Done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>The master service: batches of changes, each batch one published state, strictly in order.</summary>
    private async Task MasterLoopAsync(CancellationToken stopping)
    {
        var reader = _masterTasks.Reader;
        while (await reader.WaitToReadAsync(stopping).ConfigureAwait(false))
        {
            var batch = new List<MasterTask>();
            while (batch.Count < MaxBatch && reader.TryRead(out var task))
            {
                batch.Add(task);
            }

            ClusterState previous;
            long term;
            lock (_gate)
            {
                if (_mode != CoordinatorMode.Leader)
                {
                    foreach (var task in batch)
                    {
                        task.Done.TrySetException(ClusterException.NotMaster(task.Source));
                    }

                    continue;
                }

                previous = _persisted.LastAccepted;
                term = _persisted.CurrentTerm;
            }

            var next = previous;
            var applied = new List<MasterTask>();
            foreach (var task in batch)
            {
                try
                {
                    next = task.Update(next);
                    applied.Add(task);
                }
                catch (Exception ex)
                {
                    task.Done.TrySetException(ex);
                }
            }

            next = Finalize(previous, next, term);
            if (ReferenceEquals(next, previous))
            {
                applied.ForEach(t => t.Done.TrySetResult(previous));
                continue;
            }

            var committed = await PublishAsync(next, stopping).ConfigureAwait(false);
            foreach (var task in applied)
            {
                if (committed)
                {
                    task.Done.TrySetResult(next);
                }
                else
                {
                    task.Done.TrySetException(new ClusterException("failed_to_commit_cluster_state_exception", $"publication of cluster state version [{next.Version}] in term [{next.Term}] failed", 503));
                }
            }

            if (committed && (!next.ClusterUuidCommitted || !next.Coordination.LastCommittedConfig.SetEquals(next.Coordination.LastAcceptedConfig)))
            {
                // Record what this commit made durable (uuid, configuration) in the next state.
                _masterTasks.Writer.TryWrite(new MasterTask("record-commit", s => s));
            }
        }
    }

    /// <summary>Everything a new state needs besides the tasks' changes: term, version, configuration, allocation.</summary>
    private ClusterState Finalize(ClusterState previous, ClusterState next, long term)
    {
        var isFirstInTerm = previous.Term != term || previous.MasterNodeId != LocalNode.Id;
        var uuid = next.ClusterUuid == ClusterState.UnknownUuid ? NewId() : next.ClusterUuid;
        var committedConfig = previous.Coordination.LastAcceptedConfig;
        var excluded = next.Coordination.Exclusions.Select(e => e.NodeId).ToHashSet(StringComparer.Ordinal);
        var nodes = next.Nodes.SetItem(LocalNode.Id, LocalNode);
        var config = Reconfigurator.Reconfigure(nodes.Values, excluded, LocalNode.Id, next.Coordination.LastAcceptedConfig);
        var candidate = next with
        {
            Nodes = nodes,
            ClusterUuid = uuid,
            ClusterUuidCommitted = previous.ClusterUuid != ClusterState.UnknownUuid && previous.ClusterUuid == uuid && previous.MasterNodeId is not null,
            MasterNodeId = LocalNode.Id,
            Coordination = next.Coordination with { Term = term, LastCommittedConfig = committedConfig, LastAcceptedConfig = config },
        };
        var rerouted = AllocationService.Reroute(candidate, NewId);
        if (!isFirstInTerm && ReferenceEquals(next, previous) && rerouted.Routing == candidate.Routing
            && candidate.ClusterUuidCommitted == previous.ClusterUuidCommitted
            && config.SetEquals(previous.Coordination.LastAcceptedConfig) && committedConfig.SetEquals(previous.Coordination.LastCommittedConfig)
            && nodes.Count == previous.Nodes.Count)
        {
            return previous;
        }

        return rerouted with { Term = term, Version = previous.Version + 1 };
    }

    /// <summary>Two-phase publication: every node accepts, a majority of both configurations must; then commit.</summary>
    private async Task<bool> PublishAsync(ClusterState state, CancellationToken stopping)
    {
        lock (_gate)
        {
            if (_mode != CoordinatorMode.Leader || _persisted.CurrentTerm != state.Term)
            {
                return false;
            }

            _persisted.SetLastAccepted(state);
        }

        var acks = new HashSet<string>(StringComparer.Ordinal) { LocalNode.Id };
        var quorum = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var commit = new CommitRequest(state.Term, state.Version);
        var targets = state.Nodes.Values.Where(n => n.Id != LocalNode.Id).ToList();
        var outstanding = targets.Count;
        if (state.Coordination.HasQuorum(acks))
        {
            quorum.TrySetResult(true);
        }

        foreach (var node in targets)
        {
            _ = Task.Run(async () =>
            {
                var ok = false;
                try
                {
                    await _transport.SendAsync<PublishRequest, PublishResponse>(node.TransportAddress, CoordinationActions.Publish, new PublishRequest(state), _options.PublishTimeout, stopping).ConfigureAwait(false);
                    ok = true;
                }
                catch (Exception ex) when (ex is TransportException or OperationCanceledException)
                {
                    LogPublishFailed(node.Name, state.Version, ex.Message);
                }

                bool reached;
                lock (acks)
                {
                    if (ok)
                    {
                        acks.Add(node.Id);
                    }

                    reached = state.Coordination.HasQuorum(acks);
                    if (--outstanding == 0 && !reached)
                    {
                        quorum.TrySetResult(false);
                    }
                }

                if (reached)
                {
                    quorum.TrySetResult(true);
                }

                if (ok && await quorum.Task.ConfigureAwait(false))
                {
                    await SendCommitAsync(node, commit, stopping).ConfigureAwait(false);
                }
            }, CancellationToken.None);
        }

        bool committed;
        try
        {
            committed = await quorum.Task.WaitAsync(_options.PublishTimeout, _time, stopping).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            committed = false;
        }

        quorum.TrySetResult(false);
        lock (_gate)
        {
            if (!committed || !quorum.Task.Result)
            {
                BecomeCandidate($"publication of version {state.Version} did not reach a majority of the voting configuration");
                return false;
            }

            if (_mode == CoordinatorMode.Leader && _persisted.CurrentTerm == state.Term)
            {
                SetApplied(state);
            }
        }

        return true;
    }

    private async Task SendCommitAsync(DiscoveryNode node, CommitRequest commit, CancellationToken stopping)
    {
        try
        {
            await _transport.SendAsync<CommitRequest, Empty>(node.TransportAddress, CoordinationActions.Commit, commit, _options.PublishTimeout, stopping).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TransportException or OperationCanceledException)
        {
            // The follower checker deals with a node that cannot be reached.
        }
    }

    private PublishResponse HandlePublish(PublishRequest request)
    {
        var state = request.State;
        lock (_gate)
        {
            var accepted = _persisted.LastAccepted;
            if (state.Term < _persisted.CurrentTerm)
            {
                throw new ClusterException("coordination_state_rejected_exception", $"incoming term {state.Term} older than current term {_persisted.CurrentTerm}");
            }

            if (state.Term == accepted.Term && state.Version <= accepted.Version && accepted.MasterNodeId is not null)
            {
                throw new ClusterException("coordination_state_rejected_exception", $"incoming version {state.Version} lower or equal to current version {accepted.Version}");
            }

            if (accepted.ClusterUuidCommitted && state.ClusterUuid != accepted.ClusterUuid)
            {
                throw new ClusterException("coordination_state_rejected_exception", $"received cluster state from a different cluster uuid [{state.ClusterUuid}] than this node's [{accepted.ClusterUuid}]");
            }

            if (state.Term > _persisted.CurrentTerm)
            {
                _persisted.SetCurrentTerm(state.Term);
            }

            if (_mode == CoordinatorMode.Leader && state.MasterNodeId != LocalNode.Id)
            {
                BecomeCandidate($"received a state from master [{state.MasterNode?.Name}] in term {state.Term}");
            }

            _persisted.SetLastAccepted(state);
            if (state.MasterNode is { } master && master.Id != LocalNode.Id)
            {
                BecomeFollower(master);
            }

            return new PublishResponse(state.Term, state.Version);
        }
    }

    private Empty HandleCommit(CommitRequest request)
    {
        lock (_gate)
        {
            var accepted = _persisted.LastAccepted;
            if (accepted.Term == request.Term && accepted.Version == request.Version && _applied != accepted)
            {
                SetApplied(accepted);
            }

            return Empty.Instance;
        }
    }

    private static string NewId() =>
        Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=').Replace('/', '_').Replace('+', '-');

    [LoggerMessage(Level = LogLevel.Debug, Message = "publishing version {Version} to [{Node}] failed: {Reason}")]
    private partial void LogPublishFailed(string node, long version, string reason);
}
