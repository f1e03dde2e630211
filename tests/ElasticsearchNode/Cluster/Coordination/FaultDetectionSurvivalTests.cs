using System.Collections.Immutable;
using System.Text.Json;
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
/// The master's follower checks must go on whatever one check throws. An ObjectDisposedException out of a check
/// (a pooled connection disposed by another caller when its peer was killed) once ended the follower-check loop, and
/// the killed node stayed in the cluster state for good (ResyncContainerTests: 3 nodes 80 s after the kill). Here a
/// scripted follower answers its checks with a body that does not parse, which throws past the transport the same way.
/// </summary>
public sealed class FaultDetectionSurvivalTests
{
    private const string ClusterName = "fd-cluster";

    [Fact]
    public async Task FollowerCheck_ThrowsSomethingOtherThanATransportFailure_NodeIsStillRemoved()
    {
        await using var follower = new FakePeer("b", ClusterName);
        var dataOnly = new DiscoveryNode(follower.Node.Id, follower.Node.Name, follower.Node.TransportAddress, null, "127.0.0.1", ["data"], ImmutableSortedDictionary<string, string>.Empty);
        follower.Transport.Register<PeersRequest, PeersResponse>(CoordinationActions.Peers, (_, _) => Task.FromResult(new PeersResponse(dataOnly, null, [], 0)));
        follower.Transport.Register<PublishRequest, PublishResponse>(CoordinationActions.Publish, (r, _) => Task.FromResult(new PublishResponse(r.State.Term, r.State.Version)));
        follower.Transport.Register<CommitRequest, Empty>(CoordinationActions.Commit, (_, _) => Task.FromResult(Empty.Instance));
        follower.Transport.Register<FollowerCheckRequest, JsonElement>(CoordinationActions.FollowerCheck, (_, _) => Task.FromResult(JsonSerializer.SerializeToElement(42)));

        var data = Path.Combine(Path.GetTempPath(), "es2-fd-" + Guid.NewGuid().ToString("N"));
        var node = ClusterNode.Start(new ClusterNodeOptions
        {
            NodeName = "n1",
            ClusterName = ClusterName,
            DataPath = data,
            Transport = new TransportOptions { BindHost = "127.0.0.1", Port = 0 },
            Coordination = new CoordinationOptions { SeedHosts = [follower.Node.TransportAddress], InitialMasterNodes = ["n1"] },
        }, NullLoggerFactory.Instance, TimeProvider.System);
        try
        {
            node.Join();
            await Eventually.AssertAsync(() => Task.FromResult(node.Coordinator.Mode == CoordinatorMode.Leader), TimeSpan.FromSeconds(30), "n1 to elect itself");
            await follower.Transport.SendAsync<JoinRequest, Empty>(node.LocalNode.TransportAddress, CoordinationActions.Join,
                new JoinRequest(dataOnly, 0, ClusterState.UnknownUuid, false), TimeSpan.FromSeconds(30), CancellationToken.None);
            node.State.Nodes.Should().ContainKey(dataOnly.Id);

            // Three missed checks a second apart: Elasticsearch's budget for a dead follower is ~30 s.
            var removed = await Eventually.TrueAsync(() => !node.State.Nodes.ContainsKey(dataOnly.Id), TimeSpan.FromSeconds(30));

            removed.Should().BeTrue("a follower whose checks keep failing is removed, whatever the checks throw");
        }
        finally
        {
            await node.DisposeAsync();
            Directory.Delete(data, recursive: true);
        }
    }
}
