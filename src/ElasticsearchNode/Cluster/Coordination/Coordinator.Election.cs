using Cloud.ElasticsearchNode.Cluster.State;
using Cloud.ElasticsearchNode.Cluster.Transport;
using Microsoft.Extensions.Logging;

namespace Cloud.ElasticsearchNode.Cluster.Coordination;

internal sealed partial class Coordinator
{
    /// <summary>
    /// Pre-vote, then start-join in a new term: the candidate wins with joins from a majority of both
    /// the committed and the accepted voting configurations, each voter joining at most once a term and
    /// only a candidate whose accepted state is at least as new as its own.
    /// </summary>
    private async Task TryElectionAsync(CancellationToken stopping)
    {
        // The discovery round that led here may have waited (probes, joins, the randomised pause) while
        // this node started following a master: an election now would only depose that master.
        if (Mode != CoordinatorMode.Candidate)
        {
            return;
        }

        var accepted = _persisted.LastAccepted;
        var peers = _discovered.Values.Where(n => n.IsMasterEligible && n.Id != LocalNode.Id).ToList();
        var preVote = new PreVoteRequest(LocalNode, CurrentTerm, accepted.Term, accepted.Version);
        var preVotes = await Task.WhenAll(peers.Select(async peer =>
        {
            try
            {
                return (peer, await _transport.SendAsync<PreVoteRequest, PreVoteResponse>(peer.TransportAddress, CoordinationActions.PreVote, preVote, _options.FaultCheckTimeout, stopping).ConfigureAwait(false));
            }
            catch (TransportException)
            {
                return (peer, (PreVoteResponse?)null);
            }
        })).ConfigureAwait(false);

        var granted = preVotes.Where(p => p.Item2 is { Granted: true }).Select(p => p.peer.Id).Append(LocalNode.Id).ToList();
        if (!accepted.Coordination.HasQuorum(granted) || preVotes.Any(p => p.Item2?.Master is not null))
        {
            // No majority, or a peer answered as the master: the next discovery round joins it instead.
            return;
        }

        var maxTerm = preVotes.Select(p => p.Item2?.CurrentTerm ?? 0).Append(CurrentTerm).Max();
        var term = maxTerm + 1;
        var startJoin = new StartJoinRequest(LocalNode, term);
        Join own;
        lock (_gate)
        {
            // Checked with the term bump under one lock: a node that began following a master while its
            // pre-votes were out (a grant from a peer that had not yet joined is enough for a majority)
            // must not move to a new term, or its start-join would depose the master it follows.
            if (_mode != CoordinatorMode.Candidate)
            {
                return;
            }

            try
            {
                own = JoinUnderGate(startJoin);
            }
            catch (ClusterException)
            {
                return;
            }
        }

        var joins = await Task.WhenAll(peers.Select(async peer =>
        {
            try
            {
                return await _transport.SendAsync<StartJoinRequest, Join>(peer.TransportAddress, CoordinationActions.StartJoin, startJoin, _options.FaultCheckTimeout, stopping).ConfigureAwait(false);
            }
            catch (TransportException)
            {
                return null;
            }
        })).ConfigureAwait(false);

        // A voter whose accepted state is newer than the candidate's must not count (it would lose committed states).
        var voters = joins.OfType<Join>()
            .Where(j => j.Term == term && (j.LastAcceptedTerm < accepted.Term || (j.LastAcceptedTerm == accepted.Term && j.LastAcceptedVersion <= accepted.Version)))
            .Append(own)
            .ToList();
        lock (_gate)
        {
            if (_mode != CoordinatorMode.Candidate || _persisted.CurrentTerm != term || !_persisted.LastAccepted.Coordination.HasQuorum(voters.Select(v => v.Voter.Id).ToList()))
            {
                return;
            }

            _mode = CoordinatorMode.Leader;
            _leader = LocalNode;
            if (_logger.IsEnabled(LogLevel.Information))
            {
                var names = string.Join(",", voters.Select(v => v.Voter.Name));
                LogElected(LocalNode.Name, term, names);
            }
        }

        var previousMaster = accepted.MasterNodeId;
        var joined = voters.Select(v => v.Voter).ToList();
        _ = SubmitAsync("elected-as-master", state =>
        {
            // The old master lost its followers' leader checks, which is why this election ran.
            var gone = previousMaster is not null && joined.All(n => n.Id != previousMaster) && previousMaster != LocalNode.Id ? new[] { previousMaster } : [];
            var withVoters = state with { Nodes = state.Nodes.SetItems(joined.Select(n => KeyValuePair.Create(n.Id, n))) };
            return Allocation.RoutingChanges.RemoveNodes(withVoters, gone, _time.GetUtcNow().ToUnixTimeMilliseconds());
        }, stopping);
    }

    private PreVoteResponse HandlePreVote(PreVoteRequest request)
    {
        lock (_gate)
        {
            var accepted = _persisted.LastAccepted;
            if (_mode == CoordinatorMode.Leader)
            {
                return new PreVoteResponse(false, _persisted.CurrentTerm, accepted.Term, accepted.Version, "this node is the master", LocalNode);
            }

            if (_mode == CoordinatorMode.Follower && _leader is not null && _leader.Id != request.Source.Id && _leaderFailures == 0)
            {
                return new PreVoteResponse(false, _persisted.CurrentTerm, accepted.Term, accepted.Version, $"this node follows a live master [{_leader.Name}]");
            }

            var fresh = request.LastAcceptedTerm > accepted.Term || (request.LastAcceptedTerm == accepted.Term && request.LastAcceptedVersion >= accepted.Version);
            return new PreVoteResponse(fresh, _persisted.CurrentTerm, accepted.Term, accepted.Version, fresh ? "granted" : "candidate's state is older");
        }
    }

    private Join HandleStartJoin(StartJoinRequest request)
    {
        lock (_gate)
        {
            return JoinUnderGate(request);
        }
    }

    /// <summary>Under the gate: moves to the request's term and votes for its candidate.</summary>
    private Join JoinUnderGate(StartJoinRequest request)
    {
        if (request.Term <= _persisted.CurrentTerm)
        {
            throw new ClusterException("coordination_state_rejected_exception", $"incoming term {request.Term} not greater than current term {_persisted.CurrentTerm}");
        }

        _persisted.SetCurrentTerm(request.Term);
        if (request.Candidate.Id != LocalNode.Id)
        {
            BecomeCandidate($"start-join from [{request.Candidate.Name}] in term {request.Term}");
        }

        var accepted = _persisted.LastAccepted;
        return new Join(LocalNode, request.Term, accepted.Term, accepted.Version);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "[{Node}] elected master in term {Term} with votes from [{Voters}]")]
    private partial void LogElected(string node, long term, string voters);
}
