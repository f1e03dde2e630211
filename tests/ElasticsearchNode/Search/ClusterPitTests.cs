using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Cloud.ElasticsearchNode.Search;
using Cloud.ElasticsearchNode.Tests.Harness;
using Cloud.Testing;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Cloud.ElasticsearchNode.Tests.Search;

/// <summary>
/// Points in time over an index whose shards live on three in-process nodes, used as Elasticsearch 8 clients' helpers
/// use them: opened through one node, paged through the others with <c>search_after</c> on a sort ending in
/// <c>_shard_doc</c>, blind to writes after it opened, closed with <c>DELETE /_pit</c>, and gone once its keep-alive passed.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ClusterPitTests : IAsyncLifetime
{
    private const int Documents = 120;
    private InProcessCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await InProcessCluster.StartAsync(3);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Pit_OpenedOnOneNodePagedThroughTheOthers_EveryDocumentOnceAndLaterWritesInvisible()
    {
        await CreateAsync("pitted");
        var opened = await _cluster.RequireAsync("n1", HttpMethod.Post, "/pitted/_pit?keep_alive=1m");
        var pitId = opened!["id"]!.GetValue<string>();
        opened["_shards"]!["total"]!.GetValue<int>().Should().Be(3);

        // Written after the point in time opened: not part of it. Every document has the same tag, so only _shard_doc orders them.
        await BulkAsync("pitted", Documents, 10);

        var seen = new List<long>();
        JsonArray? after = null;
        for (var page = 0; ; page++)
        {
            var body = new JsonObject
            {
                ["size"] = 25,
                ["query"] = new JsonObject { ["match_all"] = new JsonObject() },
                ["pit"] = new JsonObject { ["id"] = pitId, ["keep_alive"] = "1m" },
                ["sort"] = new JsonArray(new JsonObject { ["tag"] = "asc" }, new JsonObject { ["_shard_doc"] = "asc" }),
                ["track_total_hits"] = true,
            };
            if (after is not null)
            {
                body["search_after"] = after.DeepClone();
            }

            var response = (await _cluster.RequireAsync(_cluster.Names[page % 3], HttpMethod.Post, "/_search", body.ToJsonString()))!;
            response["pit_id"]!.GetValue<string>().Should().Be(pitId);
            response["hits"]!["total"]!["value"]!.GetValue<long>().Should().Be(Documents);
            var hits = response["hits"]!["hits"]!.AsArray();
            if (hits.Count == 0)
            {
                break;
            }

            seen.AddRange(hits.Select(h => h!["_source"]!["n"]!.GetValue<long>()));
            after = hits[^1]!["sort"]!.AsArray();
            after.Should().HaveCount(2);
        }

        seen.Should().BeEquivalentTo(Enumerable.Range(0, Documents).Select(n => (long)n), "every document of the point in time once, none written after");
        seen.Should().OnlyHaveUniqueItems();

        var closed = await _cluster.RequireAsync("n2", HttpMethod.Delete, "/_pit", $$"""{"id":"{{pitId}}"}""");
        closed!["succeeded"]!.GetValue<bool>().Should().BeTrue();
        closed["num_freed"]!.GetValue<int>().Should().Be(3);
        ContextsOpen().Should().Be(0);
        var (status, missing) = await _cluster["n3"].PostAsync("/_search", $$$"""{"pit":{"id":"{{{pitId}}}"}}""");
        status.Should().Be(HttpStatusCode.NotFound, missing?.ToJsonString());
        missing!["error"]!["type"]!.GetValue<string>().Should().Be("search_context_missing_exception");
    }

    [Fact]
    public async Task Pit_KeepAlivePasses_ContextsFreedAndSearchMissing_ClearScrollAllLeavesPitsAlone()
    {
        await CreateAsync("brief");
        var pitId = (await _cluster.RequireAsync("n2", HttpMethod.Post, "/brief/_pit?keep_alive=2s"))!["id"]!.GetValue<string>();
        var (_, cleared) = await _cluster["n1"].DeleteAsync("/_search/scroll/_all");
        cleared!["num_freed"]!.GetValue<int>().Should().Be(0, "a point in time is no scroll");
        var alive = await _cluster.RequireAsync("n3", HttpMethod.Post, "/_search", $$$"""{"size":0,"pit":{"id":"{{{pitId}}}"},"track_total_hits":true}""");
        alive!["hits"]!["total"]!["value"]!.GetValue<long>().Should().Be(Documents, "clearing every scroll does not close points in time");

        (await Eventually.TrueAsync(() => ContextsOpen() == 0, TimeSpan.FromSeconds(15))).Should().BeTrue("each node frees its contexts once their keep-alive passed");
        var (status, _) = await _cluster["n1"].PostAsync("/_search", $$$"""{"pit":{"id":"{{{pitId}}}"}}""");
        status.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Pit_WithAnIndexInThePath_OrShardDocWithoutPit_Refused()
    {
        await CreateAsync("strict");
        var pitId = (await _cluster.RequireAsync("n1", HttpMethod.Post, "/strict/_pit?keep_alive=1m"))!["id"]!.GetValue<string>();

        var (withIndex, _) = await _cluster["n1"].PostAsync("/strict/_search", $$$"""{"pit":{"id":"{{{pitId}}}"}}""");
        var (shardDoc, _) = await _cluster["n1"].PostAsync("/strict/_search", """{"sort":[{"_shard_doc":"asc"}]}""");

        withIndex.Should().Be(HttpStatusCode.BadRequest);
        shardDoc.Should().Be(HttpStatusCode.BadRequest);
    }

    /// <summary>An index of 3 shards, no replicas, one shard on each node, holding <see cref="Documents"/> documents numbered from 0, all with one tag.</summary>
    private async Task CreateAsync(string index)
    {
        await _cluster.RequireAsync("n1", HttpMethod.Put, "/" + index,
            """{"settings":{"number_of_shards":3,"number_of_replicas":0},"mappings":{"properties":{"n":{"type":"long"},"tag":{"type":"keyword"}}}}""");
        await _cluster.RequireAsync("n1", HttpMethod.Get, $"/_cluster/health/{index}?wait_for_status=green&timeout=60s");
        var holders = InProcessCluster.ClusterOf(_cluster["n1"]).State.Routing.Shards.Where(s => s.Index == index).Select(s => s.NodeId).Distinct().Count();
        holders.Should().Be(3, "the shards are spread over the three nodes");
        await BulkAsync(index, 0, Documents);
    }

    private async Task BulkAsync(string index, int from, int count)
    {
        var bulk = new StringBuilder();
        for (var n = from; n < from + count; n++)
        {
            bulk.Append(CultureInfo.InvariantCulture, $$$"""{"index":{"_index":"{{{index}}}","_id":"d{{{n}}}"}}""").Append('\n')
                .Append(CultureInfo.InvariantCulture, $$"""{"n":{{n}},"tag":"same"}""").Append('\n');
        }

        var written = await _cluster.RequireAsync("n1", HttpMethod.Post, "/_bulk?refresh=true", bulk.ToString(), "application/x-ndjson");
        written!["errors"]!.GetValue<bool>().Should().BeFalse(written.ToJsonString());
    }

    private int ContextsOpen() => _cluster.Names.Sum(n => _cluster[n].Services.GetRequiredService<ShardScrollContexts>().Count);
}
