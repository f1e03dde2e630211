using System.Collections.Concurrent;
using System.Collections.Immutable;
using Cloud.ElasticsearchNode.Cluster;
using Cloud.ElasticsearchNode.Cluster.Coordination;
using Cloud.ElasticsearchNode.Cluster.State;
using Cloud.ElasticsearchNode.Cluster.Transport;
using Cloud.Testing;
using FluentAssertions;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Cloud.ElasticsearchNode.Tests.Cluster.Coordination;

/// <summary>
/// A node whose election round overlaps another node's election: one real node between two scripted peers.
/// The formation defect seen in CI (a 3-node cluster losing its master right after forming) came from a
/// node that started following the new master while its own pre-votes were out: a peer that had not yet
/// joined granted one, and the node moved to a later term and sent start-joins that deposed the master.
/// </summary>
public sealed class ElectionRaceTests
{
    private const string ClusterName = "race-cluster";

    /// <param name="answerAsMaster">
    /// True: the pre-vote reaches the master itself, which says so. False: the denial names no master (as from a
    /// follower of it in a larger cluster), so only the node's own mode tells it that it follows a master now.
    /// </param>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task NodeStartsFollowingWhilePreVotesAreOut_SendsNoStartJoinAndKeepsItsMaster(bool answerAsMaster)
    {
        await using var master = new FakePeer("a", ClusterName);
        await using var notYetJoined = new FakePeer("b", ClusterName);
        var startJoins = new ConcurrentBag<(string To, long Term)>();
        var followed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        foreach (var peer in new[] { master, notYetJoined })
        {
            var self = peer;
            peer.Transport.Register<PeersRequest, PeersResponse>(CoordinationActions.Peers, (_, _) => Task.FromResult(new PeersResponse(self.Node, null, [], 0)));
            peer.Transport.Register<StartJoinRequest, Join>(CoordinationActions.StartJoin, (r, _) =>
            {
                startJoins.Add((self.Node.Name, r.Term));
                throw new ClusterException("coordination_state_rejected_exception", "scripted peer does not vote");
            });
        }

        // The master elects itself while the node's pre-vote is on its way, and answers it as the master.
        master.Transport.Register<PreVoteRequest, PreVoteResponse>(CoordinationActions.PreVote, async (request, ct) =>
        {
            if (!followed.Task.IsCompleted)
            {
                await MakeFollowerAsync(master, notYetJoined, request.Source, ct);
                followed.TrySetResult();
            }

            return answerAsMaster
                ? new PreVoteResponse(false, 1, 1, 1, "this node is the master", master.Node)
                : new PreVoteResponse(false, 1, 1, 1, "this node follows a live master");
        });
        master.Transport.Register<LeaderCheckRequest, Empty>(CoordinationActions.LeaderCheck, (_, _) => Task.FromResult(Empty.Instance));
        master.Transport.Register<JoinRequest, Empty>(CoordinationActions.Join, (_, _) => Task.FromResult(Empty.Instance));

        // The peer that has not joined yet is still a candidate with an old state: it grants the pre-vote.
        notYetJoined.Transport.Register<PreVoteRequest, PreVoteResponse>(CoordinationActions.PreVote, (_, _) =>
            Task.FromResult(new PreVoteResponse(true, 0, 0, 0, "granted")));

        var data = Path.Combine(Path.GetTempPath(), "es2-race-" + Guid.NewGuid().ToString("N"));
        var node = ClusterNode.Start(new ClusterNodeOptions
        {
            NodeName = "n1",
            ClusterName = ClusterName,
            DataPath = data,
            Transport = new TransportOptions { BindHost = "127.0.0.1", Port = 0 },
            Coordination = new CoordinationOptions
            {
                SeedHosts = [master.Node.TransportAddress, notYetJoined.Node.TransportAddress],
                InitialMasterNodes = ["n1", "a", "b"],
            },
        }, NullLoggerFactory.Instance, TimeProvider.System);
        try
        {
            node.Join();
            await followed.Task.WaitAsync(TimeSpan.FromSeconds(30));

            // Long enough for the node's election round to finish and a few leader checks to pass.
            var deposed = await Eventually.TrueAsync(() => !startJoins.IsEmpty || node.Coordinator.CurrentTerm != 1 || !node.Coordinator.HasMaster, TimeSpan.FromSeconds(3));

            deposed.Should().BeFalse($"start-joins sent: [{string.Join(", ", startJoins)}], term {node.Coordinator.CurrentTerm}, mode {node.Coordinator.Mode}");
            node.Coordinator.Mode.Should().Be(CoordinatorMode.Follower);
            node.State.MasterNodeId.Should().Be(master.Node.Id);
        }
        finally
        {
            await node.DisposeAsync();
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>What an elected master does to a voter: start-join in its term, publish a state naming itself, commit.</summary>
    private static async Task MakeFollowerAsync(FakePeer master, FakePeer other, DiscoveryNode node, CancellationToken cancellationToken)
    {
        var timeout = TimeSpan.FromSeconds(10);
        await master.Transport.SendAsync<StartJoinRequest, Join>(node.TransportAddress, CoordinationActions.StartJoin, new StartJoinRequest(master.Node, 1), timeout, cancellationToken);
        var config = ImmutableSortedSet.Create(StringComparer.Ordinal, master.Node.Id, other.Node.Id, node.Id);
        var state = ClusterState.Empty(ClusterName) with
        {
            ClusterUuid = "race-uuid",
            Term = 1,
            Version = 1,
            MasterNodeId = master.Node.Id,
            Nodes = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new[] { master.Node, other.Node, node }.Select(n => KeyValuePair.Create(n.Id, n))),
            Coordination = new CoordinationMetadata(1, config, config, []),
        };
        await master.Transport.SendAsync<PublishRequest, PublishResponse>(node.TransportAddress, CoordinationActions.Publish, new PublishRequest(state), timeout, cancellationToken);
        await master.Transport.SendAsync<CommitRequest, Empty>(node.TransportAddress, CoordinationActions.Commit, new CommitRequest(1, 1), timeout, cancellationToken);
    }
}
