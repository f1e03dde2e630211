using System.Text;
using Cloud.ElasticsearchNode.Engine;
using Cloud.ElasticsearchNode.Errors;
using Cloud.ElasticsearchNode.Indices;
using Cloud.ElasticsearchNode.Tests.Harness;
using Cloud.Testing;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using ShardId = Cloud.ElasticsearchNode.Cluster.State.ShardId;

namespace Cloud.ElasticsearchNode.Tests.Replication;

/// <summary>
/// A primary reopened from its own files after its node restarted (the master checks its nodes once an hour here, so
/// the routing table keeps the copy as the active primary) takes a new primary term, as Elasticsearch gives every
/// primary assigned anew: its writes carry the new term and its replica refuses operations of the old one.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ReopenedPrimaryTermTests
{
    private const string Index = "docs";

    [Fact]
    public async Task PrimaryReopenedAfterRestart_TakesANewTerm_ReplicaRefusesTheOldOne()
    {
        await using var cluster = await InProcessCluster.StartAsync(3, new Dictionary<string, string> { ["cluster.fault_detection.follower_check.interval"] = "1h" });
        var master = cluster.MasterName("n1");
        await cluster.RequireAsync("n1", HttpMethod.Put, "/" + Index,
            $$$"""{"settings":{"number_of_shards":1,"number_of_replicas":1,"index.routing.allocation.exclude._name":"{{{master}}}"}}""");
        await cluster.RequireAsync("n1", HttpMethod.Get, "/_cluster/health?wait_for_status=green&timeout=60s");
        await cluster.RequireAsync("n1", HttpMethod.Put, $"/{Index}/_doc/before", """{"n":"before"}""");
        var state = InProcessCluster.ClusterOf(cluster["n1"]).State;
        var copies = state.Routing.CopiesOf(new ShardId(Index, 0)).ToList();
        var primary = state.Nodes[copies.Single(c => c.Primary).NodeId!].Name;
        var replica = state.Nodes[copies.Single(c => !c.Primary).NodeId!].Name;
        var uuid = state.Metadata.Indices[Index].Uuid;
        var oldTerm = state.Metadata.Indices[Index].PrimaryTerms[0];

        await cluster.RestartAsync(primary);
        await cluster.WaitFormedAsync();

        var moved = await Eventually.TrueAsync(() => InProcessCluster.ClusterOf(cluster["n1"]).State.Metadata.Indices[Index].PrimaryTerms[0] > oldTerm, TimeSpan.FromSeconds(30));
        moved.Should().BeTrue("the reopened primary asks for a new term");
        var after = InProcessCluster.ClusterOf(cluster["n1"]).State;
        after.Routing.CopiesOf(new ShardId(Index, 0)).Single(c => c.Primary).AllocationId.Should().Be(copies.Single(c => c.Primary).AllocationId,
            "the master never noticed the restart: the same copy is still the primary");
        var newTerm = after.Metadata.Indices[Index].PrimaryTerms[0];
        newTerm.Should().Be(oldTerm + 1);

        var written = await cluster.RequireAsync(primary, HttpMethod.Put, $"/{Index}/_doc/after", """{"n":"after"}""");
        written!["_primary_term"]!.GetValue<long>().Should().Be(newTerm);

        // An operation the previous incarnation sent before the restart, arriving late at the replica.
        var replicaShard = await OpenShardAsync(cluster[replica], uuid);
        var late = () => replicaShard.ApplyAsReplica(
            [new ShardOperation(OperationKind.Index, "late", replicaShard.MaxSeqNo + 1, oldTerm, 1, null, Encoding.UTF8.GetBytes("""{"n":"late"}"""))], oldTerm);
        late.Should().Throw<ElasticsearchException>().Which.Type.Should().Be("illegal_state_exception");
    }

    private static async Task<IndexShard> OpenShardAsync(InProcessNode node, string uuid)
    {
        IndexShard? shard = null;
        var open = await Eventually.TrueAsync(() => (shard = node.Services.GetRequiredService<IndicesService>().Get(uuid)?.Shards[0].Shard) is not null, TimeSpan.FromSeconds(30));
        open.Should().BeTrue();
        return shard!;
    }
}
