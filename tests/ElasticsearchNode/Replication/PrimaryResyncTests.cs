using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Cloud.ElasticsearchNode.Cluster;
using Cloud.ElasticsearchNode.Engine;
using Cloud.ElasticsearchNode.Indices;
using Cloud.ElasticsearchNode.Tests.Harness;
using Cloud.Testing;
using FluentAssertions;
using Lucene.Net.Search;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Cloud.ElasticsearchNode.Tests.Replication;

/// <summary>
/// Three in-process nodes, one shard with two replicas. The old primary's last operations reached one replica and not
/// the other (staged by applying them to each copy directly, as the replication would have): one replica holds a
/// document and a delete the other never got, and an operation on a later sequence number than any the promoted copy
/// has seen. After the primary's node stops and a replica is promoted, the other copy must hold exactly what the new
/// primary holds, including a write acknowledged after the promotion to an id the stale copy held at a higher seq_no.
/// </summary>
[Trait("Category", "Integration")]
public sealed class PrimaryResyncTests
{
    private const string Index = "docs";
    private const int Acknowledged = 100;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ReplicaPromoted_OtherReplicaHeldOperationsTheNewPrimaryLacks_BothCopiesEndIdentical()
    {
        var names = new[] { "n1", "n2", "n3" };
        var ports = names.ToDictionary(n => n, _ => FreePorts.Next());
        var nodes = new Dictionary<string, InProcessNode>();
        try
        {
            foreach (var name in names)
            {
                nodes[name] = await InProcessNode.StartAsync(settings: new Dictionary<string, string>
                {
                    ["node.name"] = name,
                    ["transport.port"] = ports[name].ToString(CultureInfo.InvariantCulture),
                    ["network.publish_host"] = "127.0.0.1",
                    ["discovery.seed_hosts"] = string.Join(',', names.Where(n => n != name).Select(n => "127.0.0.1:" + ports[n].ToString(CultureInfo.InvariantCulture))),
                    ["cluster.initial_master_nodes"] = string.Join(',', names),
                });
            }

            var formed = await Eventually.TrueAsync(() => nodes.Values.All(n => ClusterOf(n).Coordinator.HasMaster && ClusterOf(n).State.Nodes.Count == 3), Deadline);
            formed.Should().BeTrue("the three nodes form a cluster: " + string.Join("; ", nodes.Select(n =>
                $"{n.Key} {ClusterOf(n.Value).Coordinator.Mode} term {ClusterOf(n.Value).Coordinator.CurrentTerm} nodes {ClusterOf(n.Value).State.Nodes.Count} at {ClusterOf(n.Value).LocalNode.TransportAddress}")));
            await RequireAsync(nodes["n1"], HttpMethod.Put, "/" + Index, """{"settings":{"number_of_shards":1,"number_of_replicas":2}}""");
            await RequireAsync(nodes["n1"], HttpMethod.Get, "/_cluster/health?wait_for_status=green&timeout=60s");
            var bulk = new StringBuilder();
            foreach (var i in Enumerable.Range(0, Acknowledged))
            {
                bulk.Append(CultureInfo.InvariantCulture, $$$"""{"index":{"_index":"{{{Index}}}","_id":"ack-{{{i}}}"}}""").Append('\n')
                    .Append(CultureInfo.InvariantCulture, $$"""{"n":"ack-{{i}}"}""").Append('\n');
            }

            var written = await RequireAsync(nodes["n2"], HttpMethod.Post, "/_bulk", bulk.ToString(), "application/x-ndjson");
            written!["errors"]!.GetValue<bool>().Should().BeFalse();

            // Who holds what: the master promotes the in-sync replica on the lowest node id.
            var state = ClusterOf(nodes["n1"]).State;
            var copies = state.Routing.CopiesOf(new Cloud.ElasticsearchNode.Cluster.State.ShardId(Index, 0)).ToList();
            var oldPrimary = state.Nodes[copies.Single(c => c.Primary).NodeId!].Name;
            var replicas = copies.Where(c => !c.Primary).OrderBy(c => c.NodeId, StringComparer.Ordinal).Select(c => state.Nodes[c.NodeId!].Name).ToList();
            var (promoted, stale) = (replicas[0], replicas[1]);
            var uuid = state.Metadata.Indices[Index].Uuid;
            var max = ShardOf(nodes[oldPrimary], uuid).MaxSeqNo;
            max.Should().Be(Acknowledged - 1);

            // The old primary's last operations, none acknowledged: three reached the stale copy only, one the promoted copy only.
            await ApplyAsync(ShardOf(nodes[stale], uuid),
                Operation(OperationKind.Index, "stale-only", max + 1, """{"n":"stale-only"}"""),
                Operation(OperationKind.Delete, "ack-5", max + 3, null),
                Operation(OperationKind.Index, "rewritten", max + 5, """{"n":"old-primary"}"""));
            await ApplyAsync(ShardOf(nodes[promoted], uuid), Operation(OperationKind.Index, "promoted-only", max + 2, """{"n":"promoted-only"}"""));

            await nodes[oldPrimary].StopAsync();
            await Eventually.AssertAsync(() =>
            {
                var now = ClusterOf(nodes[promoted]).State;
                var primary = now.Routing.CopiesOf(new Cloud.ElasticsearchNode.Cluster.State.ShardId(Index, 0)).FirstOrDefault(c => c.Primary);
                return Task.FromResult(primary is { Active: true } && now.Nodes[primary.NodeId!].Name == promoted && now.Metadata.Indices[Index].PrimaryTerms[0] == 2);
            }, Deadline, $"{promoted} to be the primary in term 2");

            // Acknowledged after the promotion: the new primary numbers it below the stale copy's seq_no for that id unless it resynced.
            await RequireAsync(nodes[promoted], HttpMethod.Put, $"/{Index}/_doc/rewritten", """{"n":"new-primary"}""");
            await RequireAsync(nodes[stale], HttpMethod.Put, $"/{Index}/_doc/after", """{"n":"after"}""");

            Dictionary<string, string> onPrimary = [];
            Dictionary<string, string> onStale = [];
            var converged = await Eventually.TrueAsync(() =>
            {
                onPrimary = DocumentsOf(ShardOf(nodes[promoted], uuid));
                onStale = DocumentsOf(ShardOf(nodes[stale], uuid));
                return onPrimary.Count == onStale.Count && onPrimary.All(d => onStale.TryGetValue(d.Key, out var n) && n == d.Value);
            }, TimeSpan.FromSeconds(30));

            var expected = Enumerable.Range(0, Acknowledged).Select(i => $"ack-{i}").Append("rewritten").Append("after").ToList();
            onPrimary.Keys.Should().Contain(expected);
            onPrimary["rewritten"].Should().Be("new-primary");
            converged.Should().BeTrue(
                $"the stale copy should hold what the new primary holds; only on the primary: [{string.Join(", ", onPrimary.Where(d => !onStale.TryGetValue(d.Key, out var n) || n != d.Value).Select(d => d.Key))}], " +
                $"only on the stale copy: [{string.Join(", ", onStale.Where(d => !onPrimary.TryGetValue(d.Key, out var n) || n != d.Value).Select(d => $"{d.Key}={d.Value}"))}]");
            onStale.Should().NotContainKey("stale-only");
        }
        finally
        {
            foreach (var node in nodes.Values)
            {
                await node.DisposeAsync();
            }
        }
    }

    private static ClusterNode ClusterOf(InProcessNode node) => node.Services.GetRequiredService<ClusterNode>();

    private static IndexShard ShardOf(InProcessNode node, string uuid) =>
        node.Services.GetRequiredService<IndicesService>().Get(uuid)?.Shards[0].Shard ?? throw new InvalidOperationException("the shard is not open on this node");

    private static ShardOperation Operation(OperationKind kind, string id, long seqNo, string? source) =>
        new(kind, id, seqNo, 1, 1, null, source is null ? ReadOnlyMemory<byte>.Empty : Encoding.UTF8.GetBytes(source));

    private static async Task ApplyAsync(IndexShard shard, params ShardOperation[] operations)
    {
        long location = 0;
        foreach (var operation in operations)
        {
            location = Math.Max(location, shard.ApplyAsReplica(operation));
        }

        await shard.SyncAsync(location, CancellationToken.None);
    }

    /// <summary>Every live document of one copy: id → its <c>n</c> field.</summary>
    private static Dictionary<string, string> DocumentsOf(IndexShard shard)
    {
        shard.Refresh();
        using var lease = shard.AcquireSearcher();
        var hits = lease.Searcher.Search(new MatchAllDocsQuery(), 100_000);
        return hits.ScoreDocs.Select(h => IndexShard.ReadStored(lease.Searcher.Doc(h.Doc)))
            .ToDictionary(d => d.Id, d => JsonNode.Parse(d.Source.Span)!["n"]!.GetValue<string>(), StringComparer.Ordinal);
    }

    private static async Task<JsonNode?> RequireAsync(InProcessNode node, HttpMethod method, string path, string? body = null, string contentType = "application/json")
    {
        var (status, json) = await node.SendAsync(method, path, body, contentType);
        if (status is not (HttpStatusCode.OK or HttpStatusCode.Created))
        {
            throw new HttpRequestException($"{method} {path}: {(int)status} {json?.ToJsonString()}");
        }

        return json;
    }
}
