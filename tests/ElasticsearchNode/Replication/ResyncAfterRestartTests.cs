using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Cloud.ElasticsearchNode.Engine;
using Cloud.ElasticsearchNode.Indices;
using Cloud.ElasticsearchNode.Tests.Harness;
using Cloud.Testing;
using FluentAssertions;
using Lucene.Net.Search;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using ShardId = Cloud.ElasticsearchNode.Cluster.State.ShardId;

namespace Cloud.ElasticsearchNode.Tests.Replication;

/// <summary>
/// A primary whose node restarts and comes back before the master notices (the master checks its nodes only once
/// an hour here, so the routing table keeps the copy as the active primary) reopens from its own files. Its replica
/// holds what a resync cut short by the restart leaves behind: operations of an old primary the new one never got
/// (a document it lacks, a delete of one it holds), staged by applying them to the replica directly. The reopened
/// primary must resync again: afterwards the replica holds exactly what the primary holds.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ResyncAfterRestartTests
{
    private const string Index = "docs";
    private const int Acknowledged = 50;

    [Fact]
    public async Task PrimaryRestartsBeforeItsResyncFinished_ResyncResumes_ReplicaEndsIdenticalToThePrimary()
    {
        await using var cluster = await InProcessCluster.StartAsync(3, new Dictionary<string, string> { ["cluster.fault_detection.follower_check.interval"] = "1h" });
        var master = cluster.MasterName("n1");
        await cluster.RequireAsync("n1", HttpMethod.Put, "/" + Index,
            $$$"""{"settings":{"number_of_shards":1,"number_of_replicas":1,"index.routing.allocation.exclude._name":"{{{master}}}"}}""");
        await cluster.RequireAsync("n1", HttpMethod.Get, "/_cluster/health?wait_for_status=green&timeout=60s");
        var bulk = new StringBuilder();
        foreach (var i in Enumerable.Range(0, Acknowledged))
        {
            bulk.Append(CultureInfo.InvariantCulture, $$$"""{"index":{"_index":"{{{Index}}}","_id":"ack-{{{i}}}"}}""").Append('\n')
                .Append(CultureInfo.InvariantCulture, $$"""{"n":"ack-{{i}}"}""").Append('\n');
        }

        var written = await cluster.RequireAsync("n1", HttpMethod.Post, "/_bulk", bulk.ToString(), "application/x-ndjson");
        written!["errors"]!.GetValue<bool>().Should().BeFalse();

        var state = InProcessCluster.ClusterOf(cluster["n1"]).State;
        var copies = state.Routing.CopiesOf(new ShardId(Index, 0)).ToList();
        var primary = state.Nodes[copies.Single(c => c.Primary).NodeId!].Name;
        var replica = state.Nodes[copies.Single(c => !c.Primary).NodeId!].Name;
        var uuid = state.Metadata.Indices[Index].Uuid;
        var max = ShardOf(cluster[primary], uuid).MaxSeqNo;
        max.Should().Be(Acknowledged - 1);

        // Left on the replica by an old primary and not undone yet: never acknowledged, absent from the primary.
        var stale = ShardOf(cluster[replica], uuid);
        var location = Math.Max(
            stale.ApplyAsReplica(new ShardOperation(OperationKind.Index, "stale-only", max + 1, 1, 1, null, Encoding.UTF8.GetBytes("""{"n":"stale-only"}"""))),
            stale.ApplyAsReplica(new ShardOperation(OperationKind.Delete, "ack-5", max + 2, 1, 2, null, ReadOnlyMemory<byte>.Empty)));
        await stale.SyncAsync(location, CancellationToken.None);

        await cluster.RestartAsync(primary);
        await cluster.WaitFormedAsync();
        var after = InProcessCluster.ClusterOf(cluster["n1"]).State.Routing.CopiesOf(new ShardId(Index, 0)).Single(c => c.Primary);
        after.NodeId.Should().Be(copies.Single(c => c.Primary).NodeId, "the master never noticed the restart: the copy is still the primary");
        (await Eventually.TrueAsync(() => IsOpen(cluster[primary], uuid), TimeSpan.FromSeconds(30))).Should().BeTrue("the restarted node reopens its primary");
        await cluster.RequireAsync(primary, HttpMethod.Put, $"/{Index}/_doc/after", """{"n":"after"}""");

        Dictionary<string, string> onPrimary = [];
        Dictionary<string, string> onReplica = [];
        var converged = await Eventually.TrueAsync(() =>
        {
            onPrimary = DocumentsOf(ShardOf(cluster[primary], uuid));
            onReplica = DocumentsOf(ShardOf(cluster[replica], uuid));
            return onPrimary.Count == onReplica.Count && onPrimary.All(d => onReplica.TryGetValue(d.Key, out var n) && n == d.Value);
        }, TimeSpan.FromSeconds(30));

        onPrimary.Keys.Should().Contain(Enumerable.Range(0, Acknowledged).Select(i => $"ack-{i}").Append("after"));
        converged.Should().BeTrue(
            $"the replica should hold what the primary holds; only on the primary: [{string.Join(", ", onPrimary.Keys.Except(onReplica.Keys))}], " +
            $"only on the replica: [{string.Join(", ", onReplica.Keys.Except(onPrimary.Keys))}]");
    }

    private static bool IsOpen(InProcessNode node, string uuid) => node.Services.GetRequiredService<IndicesService>().Get(uuid)?.Shards[0].Shard is not null;

    private static IndexShard ShardOf(InProcessNode node, string uuid) =>
        node.Services.GetRequiredService<IndicesService>().Get(uuid)?.Shards[0].Shard ?? throw new InvalidOperationException("the shard is not open on this node");

    /// <summary>Every live document of one copy: id → its <c>n</c> field.</summary>
    private static Dictionary<string, string> DocumentsOf(IndexShard shard)
    {
        shard.Refresh();
        using var lease = shard.AcquireSearcher();
        var hits = lease.Searcher.Search(new MatchAllDocsQuery(), 100_000);
        return hits.ScoreDocs.Select(h => IndexShard.ReadStored(lease.Searcher.Doc(h.Doc)))
            .ToDictionary(d => d.Id, d => JsonNode.Parse(d.Source.Span)!["n"]!.GetValue<string>(), StringComparer.Ordinal);
    }
}
