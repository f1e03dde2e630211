using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Cloud.ElasticsearchNode.Tests.Harness;
using FluentAssertions;
using Xunit;

namespace Cloud.ElasticsearchNode.Tests.Snapshots;

/// <summary>
/// Snapshots of a three-node cluster on the real Docker Engine, every node binding the same host directory at
/// <c>path.repo</c> as the allocator mounts it: the repository is registered once for the whole cluster, a
/// snapshot copies every shard from whichever node holds it, and a restore into the cluster (with replicas,
/// and under a new name) brings back the same documents. Counts and sizes are the cluster's, from any node.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ClusterSnapshotContainerTests
{
    private const int Documents = 300;

    [Fact]
    public async Task ThreeNodes_SnapshotDeleteRestore_SameDocumentsGreen_RepositoryAndCountsClusterWide()
    {
        await using var cluster = await ContainerCluster.CreateAsync("n1", "n2", "n3");
        await cluster.StartAsync("n1", "z1");
        await cluster.StartAsync("n2", "z2");
        await cluster.StartAsync("n3", "z3");
        await cluster.FormedAsync();
        await cluster.RequireAsync(HttpMethod.Put, "n1", "/books", """{"settings":{"number_of_shards":3,"number_of_replicas":1},"mappings":{"properties":{"year":{"type":"integer"}}}}""");
        await cluster.HealthAsync("n1", "wait_for_status=green&wait_for_no_relocating_shards=true");

        var body = new StringBuilder();
        for (var i = 0; i < Documents; i++)
        {
            var routing = i % 10 == 0 ? ",\"routing\":\"r1\"" : string.Empty;
            body.Append("{\"index\":{\"_index\":\"books\",\"_id\":\"b" + i + "\"" + routing + "}}\n").Append($$"""{"title":"book {{i}}","year":{{1900 + i}}}""").Append('\n');
        }

        (await cluster.RequireAsync(HttpMethod.Post, "n2", "/_bulk", body.ToString())).GetProperty("errors").GetBoolean().Should().BeFalse();
        await cluster.RequireAsync(HttpMethod.Put, "n3", "/books/_doc/b1", """{"title":"book 1, second edition","year":2001}""");
        await cluster.RequireAsync(HttpMethod.Delete, "n1", "/books/_doc/b2");
        await cluster.RequireAsync(HttpMethod.Post, "n1", "/books/_refresh");
        var before = await AllDocumentsAsync(cluster, "n2", "books");
        before.Should().HaveCount(Documents - 1);

        // Counts and sizes describe every node's copies, whichever node answers.
        foreach (var node in cluster.Nodes)
        {
            var row = (await cluster.GetAsync(node, "/_cat/indices/books?format=json&bytes=b"))[0];
            row.GetProperty("health").GetString().Should().Be("green", $"{node} reports the cluster's health");
            row.GetProperty("docs.count").GetString().Should().Be((Documents - 1).ToString(CultureInfo.InvariantCulture), $"{node} counts the primaries on every node");
            (await cluster.GetAsync(node, "/_cat/count/books?format=json"))[0].GetProperty("count").GetString().Should().Be((Documents - 1).ToString(CultureInfo.InvariantCulture));
            var stats = await cluster.GetAsync(node, "/books/_stats");
            stats.GetProperty("_all").GetProperty("primaries").GetProperty("docs").GetProperty("count").GetInt64().Should().Be(Documents - 1);
            stats.GetProperty("_all").GetProperty("total").GetProperty("docs").GetProperty("count").GetInt64().Should().Be(2 * (Documents - 1), "each document has two copies");
            stats.GetProperty("_shards").GetProperty("successful").GetInt32().Should().Be(6);
        }

        // Registered on one node, known to all: the repository is in the cluster state.
        await cluster.RequireAsync(HttpMethod.Put, "n2", "/_snapshot/backups", """{"type":"fs","settings":{"location":"backups"}}""");
        foreach (var node in cluster.Nodes)
        {
            (await cluster.GetAsync(node, "/_snapshot/backups")).GetProperty("backups").GetProperty("type").GetString().Should().Be("fs", $"{node} knows the repository");
        }

        // The node taking the snapshot holds no copy of at least one shard: that shard's files come from another node.
        var taker = "n3";
        var shards = await cluster.ShardsAsync("n1");
        Enumerable.Range(0, 3).Should().Contain(s => !shards.Any(c => c.Index == "books" && c.Shard == s && c.Node == taker), "a node holds copies of two shards of three");
        var created = await cluster.RequireAsync(HttpMethod.Put, taker, "/_snapshot/backups/snap-1?wait_for_completion=true", """{"indices":"books"}""");
        created.GetProperty("snapshot").GetProperty("state").GetString().Should().Be("SUCCESS", created.GetRawText());
        created.GetProperty("snapshot").GetProperty("shards").GetProperty("successful").GetInt32().Should().Be(3);
        Directory.EnumerateFiles(Path.Combine(cluster.SnapshotsDirectory, "backups"), "*", SearchOption.AllDirectories).Should().Contain(f => f.EndsWith("snap-snap-1.json", StringComparison.Ordinal));

        var listed = await cluster.GetAsync("n1", "/_snapshot/backups/_all");
        listed.GetProperty("snapshots").EnumerateArray().Select(s => s.GetProperty("snapshot").GetString()).Should().Equal("snap-1");
        var status = (await cluster.GetAsync("n2", "/_snapshot/backups/snap-1/_status")).GetProperty("snapshots")[0];
        status.GetProperty("state").GetString().Should().Be("SUCCESS");
        status.GetProperty("shards_stats").GetProperty("done").GetInt32().Should().Be(3);
        status.GetProperty("stats").GetProperty("total").GetProperty("file_count").GetInt64().Should().BeGreaterThan(0);

        await cluster.RequireAsync(HttpMethod.Delete, "n1", "/books");
        var restored = await cluster.RequireAsync(HttpMethod.Post, "n2", "/_snapshot/backups/snap-1/_restore?wait_for_completion=true", """{"indices":"books"}""");
        restored.GetProperty("snapshot").GetProperty("indices").EnumerateArray().Select(i => i.GetString()).Should().Equal("books");
        var renamed = await cluster.RequireAsync(HttpMethod.Post, "n1", "/_snapshot/backups/snap-1/_restore?wait_for_completion=true",
            """{"indices":"books","rename_pattern":"(.+)","rename_replacement":"restored_$1"}""");
        renamed.GetProperty("snapshot").GetProperty("indices").EnumerateArray().Select(i => i.GetString()).Should().Equal("restored_books");

        var health = await cluster.HealthAsync("n3", "wait_for_status=green");
        health.GetProperty("status").GetString().Should().Be("green");
        health.GetProperty("active_shards").GetInt32().Should().Be(12, "both restored indices have 3 primaries and 3 replicas");
        await cluster.RequireAsync(HttpMethod.Post, "n3", "/_refresh");
        (await AllDocumentsAsync(cluster, "n3", "books")).Should().BeEquivalentTo(before);
        (await AllDocumentsAsync(cluster, "n1", "restored_books")).Should().BeEquivalentTo(before);
        (await cluster.GetAsync("n1", "/books/_doc/b10?routing=r1")).GetProperty("found").GetBoolean().Should().BeTrue();

        await cluster.RequireAsync(HttpMethod.Delete, "n3", "/_snapshot/backups/snap-1");
        using var gone = await cluster.SendAsync(HttpMethod.Get, "n1", "/_snapshot/backups/snap-1");
        gone.StatusCode.Should().Be(HttpStatusCode.NotFound);
        await cluster.RequireAsync(HttpMethod.Delete, "n1", "/_snapshot/backups");
        foreach (var node in cluster.Nodes)
        {
            using var missing = await cluster.SendAsync(HttpMethod.Get, node, "/_snapshot/backups");
            missing.StatusCode.Should().Be(HttpStatusCode.NotFound, $"{node} forgot the repository");
        }
    }

    /// <summary>Every document of the index: id to (version, routing, source).</summary>
    private static async Task<Dictionary<string, string>> AllDocumentsAsync(ContainerCluster cluster, string node, string index)
    {
        var result = await cluster.RequireAsync(HttpMethod.Post, node, $"/{index}/_search", """{"size":1000,"version":true}""");
        result.GetProperty("_shards").GetProperty("failed").GetInt32().Should().Be(0);
        var documents = new Dictionary<string, string>();
        foreach (var hit in result.GetProperty("hits").GetProperty("hits").EnumerateArray())
        {
            var routing = hit.TryGetProperty("_routing", out var r) ? r.GetString() : null;
            documents[hit.GetProperty("_id").GetString()!] = $"{hit.GetProperty("_version").GetInt64()}|{routing}|{hit.GetProperty("_source").GetRawText()}";
        }

        return documents;
    }
}
