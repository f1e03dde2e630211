using System.Net;
using System.Text;
using Cloud.ElasticsearchNode.Tests.Harness;
using Cloud.Testing;
using FluentAssertions;
using Xunit;
using ShardId = Cloud.ElasticsearchNode.Cluster.State.ShardId;

namespace Cloud.ElasticsearchNode.Tests.Replication;

/// <summary>
/// A copy the cluster state says is started on a node, but whose files that node no longer has (a lost disk, a
/// directory a failed recovery deleted), must not be reopened empty and serve reads: the node fails it to the master,
/// which allocates a new copy that recovers from the primary. The master checks its nodes once an hour here, so the
/// restarted node comes back to a routing table that still lists its copy as started.
/// </summary>
[Trait("Category", "Integration")]
public sealed class StartedCopyWithoutDataTests
{
    private const string Index = "docs";
    private const int Documents = 40;

    [Fact]
    public async Task StartedReplicaWhoseFilesAreGone_IsFailedAndRecoveredFromThePrimary_NeverServedEmpty()
    {
        await using var cluster = await InProcessCluster.StartAsync(3, new Dictionary<string, string> { ["cluster.fault_detection.follower_check.interval"] = "1h" });
        var master = cluster.MasterName("n1");
        await cluster.RequireAsync("n1", HttpMethod.Put, "/" + Index,
            $$$"""{"settings":{"number_of_shards":1,"number_of_replicas":1,"index.routing.allocation.exclude._name":"{{{master}}}"}}""");
        await cluster.RequireAsync("n1", HttpMethod.Get, "/_cluster/health?wait_for_status=green&timeout=60s");
        var bulk = new StringBuilder();
        foreach (var i in Enumerable.Range(0, Documents))
        {
            bulk.Append($$$"""{"index":{"_index":"{{{Index}}}","_id":"d-{{{i}}}"}}""").Append('\n').Append("""{"n":1}""").Append('\n');
        }

        var written = await cluster.RequireAsync("n1", HttpMethod.Post, "/_bulk?refresh=true", bulk.ToString(), "application/x-ndjson");
        written!["errors"]!.GetValue<bool>().Should().BeFalse();
        var state = InProcessCluster.ClusterOf(cluster["n1"]).State;
        var replica = state.Routing.CopiesOf(new ShardId(Index, 0)).Single(c => !c.Primary);
        var replicaNode = state.Nodes[replica.NodeId!].Name;
        var uuid = state.Metadata.Indices[Index].Uuid;

        await cluster.RestartAsync(replicaNode, dataPath => Directory.Delete(Path.Combine(dataPath, "indices", uuid, "0"), recursive: true));
        await cluster.WaitFormedAsync();

        // Read only the restarted node's copy, over and over, until the cluster is green again with it recovered.
        var seen = new List<string>();
        var recovered = await Eventually.TrueAsync(async () =>
        {
            var (status, body) = await cluster[replicaNode].GetAsync($"/{Index}/_count?preference=_only_local");
            var successful = body?["_shards"]?["successful"]?.GetValue<int>() ?? 0;
            var count = body?["count"]?.GetValue<long>() ?? -1;
            if (status == HttpStatusCode.OK && successful == 1)
            {
                seen.Add(count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            return successful == 1 && count == Documents;
        }, TimeSpan.FromSeconds(60));

        recovered.Should().BeTrue($"the copy on {replicaNode} should come back from the primary with every document (counts it answered: [{string.Join(", ", seen)}])");
        seen.Should().OnlyContain(c => c == Documents.ToString(System.Globalization.CultureInfo.InvariantCulture), "a copy without its files never answers a read");
        var now = InProcessCluster.ClusterOf(cluster["n1"]).State.Routing.CopiesOf(new ShardId(Index, 0)).Single(c => !c.Primary);
        now.AllocationId.Should().NotBe(replica.AllocationId, "the copy without files was failed and a new one recovered");
    }
}
