using System.Collections.Concurrent;
using System.Collections.Immutable;
using Cloud.ElasticsearchNode.Cluster.Discovery;
using Cloud.ElasticsearchNode.Cluster.State;
using Cloud.ElasticsearchNode.Cluster.Transport;
using Microsoft.Extensions.Logging;

namespace Cloud.ElasticsearchNode.Cluster.Coordination;

internal sealed partial class Coordinator
{
    private readonly SeedHostsProvider _seeds;
    private readonly ConcurrentDictionary<string, DiscoveryNode> _discovered = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _peerAddresses = new(StringComparer.Ordinal);
    private int _electionAttempt;

    /// <summary>While candidate: probe every known address each round, then join a master, bootstrap, or stand for election.</summary>
    private async Task DiscoveryLoopAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                if (Mode == CoordinatorMode.Candidate)
                {
                    await DiscoveryRoundAsync(stopping).ConfigureAwait(false);
                }
                else
                {
                    _electionAttempt = 0;
                }

                await Pause(Mode == CoordinatorMode.Candidate ? _options.FindPeersInterval / 4 : _options.FindPeersInterval, _time, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogDiscoveryFailed(ex, LocalNode.Name);
                await Pause(_options.FindPeersInterval, _time, stopping).ConfigureAwait(false);
            }
        }
    }

    private async Task DiscoveryRoundAsync(CancellationToken stopping)
    {
        var addresses = _seeds.Current()
            .Concat(_peerAddresses.Keys)
            .Concat(_persisted.LastAccepted.Nodes.Values.Select(n => n.TransportAddress))
            .Where(a => a != LocalNode.TransportAddress)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var request = new PeersRequest(LocalNode, [.. _discovered.Values.Select(n => n.TransportAddress)]);
        var responses = await Task.WhenAll(addresses.Select(async address =>
        {
            try
            {
                return await _transport.SendAsync<PeersRequest, PeersResponse>(address, CoordinationActions.Peers, request, _options.RequestPeersTimeout, stopping).ConfigureAwait(false);
            }
            catch (TransportException)
            {
                return null;
            }
        })).ConfigureAwait(false);

        var masters = new List<(DiscoveryNode Master, long Term)>();
        _discovered.Clear();
        foreach (var response in responses.OfType<PeersResponse>())
        {
            _discovered[response.Node.Id] = response.Node;
            foreach (var peer in response.KnownPeers)
            {
                _peerAddresses.TryAdd(peer, 0);
            }

            if (response.Master is { } master)
            {
                masters.Add((master, response.Term));
            }
        }

        if (Mode != CoordinatorMode.Candidate)
        {
            return;
        }

        foreach (var (master, _) in masters.OrderByDescending(m => m.Term))
        {
            if (master.Id != LocalNode.Id && await TryJoinAsync(master, stopping).ConfigureAwait(false))
            {
                return;
            }
        }

        if (!LocalNode.IsMasterEligible)
        {
            return;
        }

        TryBootstrap();
        if (_persisted.LastAccepted.Coordination.LastAcceptedConfig.IsEmpty)
        {
            return;
        }

        // Randomised, growing back-off so two candidates rarely split the vote twice in a row.
        var ceiling = Math.Min(_options.ElectionMaxTimeout.TotalMilliseconds, _options.ElectionInitialTimeout.TotalMilliseconds * (1 + _electionAttempt++));
        await Pause(TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling), _time, stopping).ConfigureAwait(false);
        await TryElectionAsync(stopping).ConfigureAwait(false);
    }

    private PeersResponse HandlePeers(PeersRequest request)
    {
        if (request.Source.Id != LocalNode.Id)
        {
            _peerAddresses.TryAdd(request.Source.TransportAddress, 0);
        }

        lock (_gate)
        {
            var master = _mode == CoordinatorMode.Leader ? LocalNode : _mode == CoordinatorMode.Follower ? _leader : null;
            return new PeersResponse(LocalNode, master, [.. _discovered.Values.Select(n => n.TransportAddress)], _persisted.CurrentTerm);
        }
    }

    /// <summary>
    /// Bootstraps exactly once: a master-eligible node named in <c>cluster.initial_master_nodes</c>
    /// that has never accepted a voting configuration sets the initial one to the listed nodes, once it
    /// has found all of them. The persisted configuration makes it a one-time act.
    /// </summary>
    private void TryBootstrap()
    {
        var names = _options.InitialMasterNodes.IsDefaultOrEmpty && _options.BootstrapAlone ? [LocalNode.Name] : _options.InitialMasterNodes;
        if (names.IsDefaultOrEmpty || !names.Contains(LocalNode.Name))
        {
            return;
        }

        lock (_gate)
        {
            var accepted = _persisted.LastAccepted;
            if (!accepted.Coordination.LastAcceptedConfig.IsEmpty || accepted.ClusterUuidCommitted)
            {
                return;
            }

            var found = _discovered.Values.Append(LocalNode).Where(n => n.IsMasterEligible && names.Contains(n.Name)).DistinctBy(n => n.Name).ToList();
            if (found.Count < names.Distinct(StringComparer.Ordinal).Count())
            {
                return;
            }

            var config = found.Select(n => n.Id).ToImmutableSortedSet(StringComparer.Ordinal);
            _persisted.SetLastAccepted(accepted with { Coordination = accepted.Coordination with { LastCommittedConfig = config, LastAcceptedConfig = config } });
            if (_logger.IsEnabled(LogLevel.Information))
            {
                var foundNames = string.Join(",", found.Select(n => n.Name));
                LogBootstrapped(LocalNode.Name, foundNames);
            }
        }
    }

    private async Task<bool> TryJoinAsync(DiscoveryNode master, CancellationToken stopping)
    {
        var accepted = _persisted.LastAccepted;
        try
        {
            await _transport.SendAsync<JoinRequest, Empty>(master.TransportAddress, CoordinationActions.Join,
                new JoinRequest(LocalNode, CurrentTerm, accepted.ClusterUuid, accepted.ClusterUuidCommitted), _options.PublishTimeout + _options.FaultCheckTimeout, stopping).ConfigureAwait(false);
            return true;
        }
        catch (TransportException ex)
        {
            LogJoinFailed(LocalNode.Name, master.Name, ex.Message);
            return false;
        }
    }

    /// <summary>On the master: add the node through a published state; answer once it is committed.</summary>
    private async Task<Empty> HandleJoinAsync(JoinRequest request, CancellationToken cancellationToken)
    {
        long term;
        lock (_gate)
        {
            if (_mode != CoordinatorMode.Leader)
            {
                throw ClusterException.NotMaster("join");
            }

            var accepted = _persisted.LastAccepted;
            if (request.ClusterUuidCommitted && accepted.ClusterUuidCommitted && request.ClusterUuid != accepted.ClusterUuid)
            {
                throw new ClusterException("coordination_state_rejected_exception",
                    $"join validation on cluster state with a different cluster uuid {accepted.ClusterUuid} than local cluster uuid {request.ClusterUuid}, rejecting");
            }

            term = _persisted.CurrentTerm;
            if (request.Term > term)
            {
                // The joiner saw a later term: this master's term is over; a new election follows.
                _persisted.SetCurrentTerm(request.Term);
                BecomeCandidate($"join from [{request.Node.Name}] with later term {request.Term}");
                throw ClusterException.NotMaster("join");
            }
        }

        await SubmitAsync($"node-join[{request.Node.Name}]", state =>
        {
            // A restarted node may come back with new addresses under the same id: the latest wins.
            return state with { Nodes = state.Nodes.SetItem(request.Node.Id, request.Node) };
        }, cancellationToken).ConfigureAwait(false);
        return Empty.Instance;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "[{Node}] discovery round failed")]
    private partial void LogDiscoveryFailed(Exception exception, string node);

    [LoggerMessage(Level = LogLevel.Information, Message = "[{Node}] bootstrapped the voting configuration with [{Nodes}]")]
    private partial void LogBootstrapped(string node, string nodes);

    [LoggerMessage(Level = LogLevel.Information, Message = "[{Node}] joining [{Master}] failed: {Reason}")]
    private partial void LogJoinFailed(string node, string master, string reason);
}
