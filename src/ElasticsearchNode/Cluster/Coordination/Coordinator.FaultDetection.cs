using System.Collections.Concurrent;
using Cloud.ElasticsearchNode.Cluster.Allocation;
using Cloud.ElasticsearchNode.Cluster.State;
using Cloud.ElasticsearchNode.Cluster.Transport;
using Microsoft.Extensions.Logging;

namespace Cloud.ElasticsearchNode.Cluster.Coordination;

internal sealed partial class Coordinator
{
    private readonly ConcurrentDictionary<string, int> _followerFailures = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _removing = new(StringComparer.Ordinal);
    private int _leaderFailures;

    /// <summary>A follower checks its master every interval; a refusal or a broken connection ends following at once, timeouts after the retry count.</summary>
    private async Task LeaderCheckLoopAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            await Pause(_options.FaultCheckInterval, _time, stopping).ConfigureAwait(false);
            DiscoveryNode? leader;
            lock (_gate)
            {
                leader = _mode == CoordinatorMode.Follower ? _leader : null;
            }

            if (leader is null)
            {
                continue;
            }

            string? failure = null;
            var immediate = false;
            try
            {
                await _transport.SendAsync<LeaderCheckRequest, Empty>(leader.TransportAddress, CoordinationActions.LeaderCheck, new LeaderCheckRequest(LocalNode), _options.FaultCheckTimeout, stopping).ConfigureAwait(false);
            }
            catch (TransportException ex)
            {
                failure = ex.Message;
                immediate = ex.IsDisconnect || ex.Type != "receive_timeout_transport_exception";
            }
            catch (Exception ex) when (!stopping.IsCancellationRequested)
            {
                // A defect below the transport must not end fault detection (this loop died on an
                // ObjectDisposedException once, and a dead master was never noticed): count it as a missed check.
                LogCheckFailedUnexpectedly(ex, leader.Name);
                failure = ex.Message;
            }

            lock (_gate)
            {
                if (_mode != CoordinatorMode.Follower || _leader?.Id != leader.Id)
                {
                    continue;
                }

                if (failure is null)
                {
                    _leaderFailures = 0;
                }
                else if (immediate || ++_leaderFailures >= _options.FaultCheckRetryCount)
                {
                    BecomeCandidate($"leader [{leader.Name}] check failed: {failure}");
                }
            }
        }
    }

    /// <summary>The master checks every node every interval; a node that fails is removed from the cluster, its shards failed over.</summary>
    private async Task FollowerCheckLoopAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            await Pause(_options.FollowerCheckInterval, _time, stopping).ConfigureAwait(false);
            long term;
            List<DiscoveryNode> followers;
            lock (_gate)
            {
                if (_mode != CoordinatorMode.Leader)
                {
                    _followerFailures.Clear();
                    continue;
                }

                term = _persisted.CurrentTerm;
                followers = [.. _applied.Nodes.Values.Where(n => n.Id != LocalNode.Id)];
            }

            var failed = await Task.WhenAll(followers.Select(async node =>
            {
                try
                {
                    await _transport.SendAsync<FollowerCheckRequest, Empty>(node.TransportAddress, CoordinationActions.FollowerCheck, new FollowerCheckRequest(term, LocalNode), _options.FaultCheckTimeout, stopping).ConfigureAwait(false);
                    _followerFailures.TryRemove(node.Id, out _);
                    return ((DiscoveryNode Node, string Reason)?)null;
                }
                catch (TransportException ex)
                {
                    var count = _followerFailures.AddOrUpdate(node.Id, 1, (_, c) => c + 1);
                    return ex.IsDisconnect || count >= _options.FaultCheckRetryCount ? ((DiscoveryNode Node, string Reason)?)(node, ex.Message) : null;
                }
                catch (Exception ex) when (!stopping.IsCancellationRequested)
                {
                    // Out of Task.WhenAll this ended the loop for good (an ObjectDisposedException from a pooled
                    // connection another caller had just disposed), and a killed node stayed in the state: a defect
                    // below the transport counts as a missed check instead.
                    LogCheckFailedUnexpectedly(ex, node.Name);
                    var count = _followerFailures.AddOrUpdate(node.Id, 1, (_, c) => c + 1);
                    return count >= _options.FaultCheckRetryCount ? ((DiscoveryNode Node, string Reason)?)(node, ex.Message) : null;
                }
            })).ConfigureAwait(false);

            var gone = failed.OfType<(DiscoveryNode Node, string Reason)>().Where(f => _removing.TryAdd(f.Node.Id, 0)).ToList();
            if (gone.Count == 0)
            {
                continue;
            }

            foreach (var (node, reason) in gone)
            {
                LogFollowerFailed(node.Name, reason);
            }

            var ids = gone.Select(g => g.Node.Id).ToList();
            _ = RemoveFollowersAsync(ids, stopping);
        }
    }

    private async Task RemoveFollowersAsync(List<string> ids, CancellationToken stopping)
    {
        try
        {
            await SubmitAsync("node-left", s => RoutingChanges.RemoveNodes(s, [.. ids.Where(s.Nodes.ContainsKey)], _time.GetUtcNow().ToUnixTimeMilliseconds()), stopping).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ClusterException or OperationCanceledException)
        {
            // No longer master: the next master checks its own followers.
        }
        finally
        {
            foreach (var id in ids)
            {
                _removing.TryRemove(id, out _);
                _followerFailures.TryRemove(id, out _);
            }
        }
    }

    private Empty HandleFollowerCheck(FollowerCheckRequest request)
    {
        lock (_gate)
        {
            if (request.Term < _persisted.CurrentTerm)
            {
                throw new ClusterException("coordination_state_rejected_exception", $"follower check from an older term {request.Term}, current term {_persisted.CurrentTerm}");
            }

            if (request.Term > _persisted.CurrentTerm)
            {
                _persisted.SetCurrentTerm(request.Term);
            }

            if (_mode != CoordinatorMode.Follower || _leader?.Id != request.Master.Id)
            {
                if (_mode == CoordinatorMode.Leader)
                {
                    BecomeCandidate($"follower check from master [{request.Master.Name}] in term {request.Term}");
                }

                BecomeFollower(request.Master);
            }

            return Empty.Instance;
        }
    }

    private Empty HandleLeaderCheck(LeaderCheckRequest request)
    {
        lock (_gate)
        {
            if (_mode != CoordinatorMode.Leader)
            {
                throw new ClusterException("coordination_state_rejected_exception", "rejecting leader check since this node is not the master");
            }

            if (!_applied.Nodes.ContainsKey(request.Source.Id) && !_persisted.LastAccepted.Nodes.ContainsKey(request.Source.Id))
            {
                throw new ClusterException("coordination_state_rejected_exception", $"rejecting leader check from [{request.Source.Name}] since it is not a member of the cluster");
            }

            return Empty.Instance;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "check of [{Node}] failed unexpectedly; counted as a missed check")]
    private partial void LogCheckFailedUnexpectedly(Exception exception, string node);

    [LoggerMessage(Level = LogLevel.Information, Message = "removing node [{Node}] after failed follower checks: {Reason}")]
    private partial void LogFollowerFailed(string node, string reason);
}
