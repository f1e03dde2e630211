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
/// Scrolls over an index whose shards live on three in-process nodes: each shard's context stays on the node
/// holding the copy, the scroll id says where, and any node pages, clears or finds the scroll expired.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ClusterScrollTests : IAsyncLifetime
{
    private const int Documents = 250;
    private InProcessCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await InProcessCluster.StartAsync(3);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Scroll_ShardsOnThreeNodes_EveryNodePagesOnAndTheScrollSeesItsPointInTime()
    {
        await CreateAsync("sorted");
        var first = await _cluster.RequireAsync("n1", HttpMethod.Post, "/sorted/_search?scroll=1m", """{"size":17,"sort":[{"n":"asc"}],"_source":["n"]}""");
        var scrollId = first!["_scroll_id"]!.GetValue<string>();
        first["_shards"]!["successful"]!.GetValue<int>().Should().Be(3, first.ToJsonString());

        // Written after the scroll opened: not part of it.
        await BulkAsync("sorted", Documents, 10);

        var seen = new List<long>(Numbers(first));
        var page = first;
        for (var i = 0; Hits(page).Count > 0; i++)
        {
            page = await _cluster.RequireAsync(_cluster.Names[i % 3], HttpMethod.Post, "/_search/scroll", $$"""{"scroll":"1m","scroll_id":"{{scrollId}}"}""");
            page!["hits"]!["total"]!["value"]!.GetValue<long>().Should().Be(Documents);
            page["_scroll_id"]!.GetValue<string>().Should().Be(scrollId);
            seen.AddRange(Numbers(page));
        }

        seen.Should().Equal(Enumerable.Range(0, Documents).Select(n => (long)n), "every document once, in sort order, none written after the scroll opened");
        ContextsOpen().Should().Be(3);

        var cleared = await _cluster.RequireAsync("n2", HttpMethod.Delete, "/_search/scroll", $$"""{"scroll_id":"{{scrollId}}"}""");
        cleared!["num_freed"]!.GetValue<int>().Should().Be(3);
        ContextsOpen().Should().Be(0);
        var (status, missing) = await _cluster["n3"].PostAsync("/_search/scroll", $$"""{"scroll":"1m","scroll_id":"{{scrollId}}"}""");
        status.Should().Be(HttpStatusCode.NotFound, missing?.ToJsonString());
        missing!["error"]!["type"]!.GetValue<string>().Should().Be("search_context_missing_exception");
    }

    [Fact]
    public async Task Scroll_ByScore_EveryDocumentOnceAndClearAllFreesEveryNode()
    {
        await CreateAsync("scored");
        var page = (await _cluster.RequireAsync("n3", HttpMethod.Post, "/scored/_search?scroll=30s", """{"size":20,"query":{"match_all":{}}}"""))!;
        var scrollId = page["_scroll_id"]!.GetValue<string>();
        var seen = new List<long>(Numbers(page));
        while (Hits(page).Count > 0)
        {
            page = (await _cluster.RequireAsync("n1", HttpMethod.Post, "/_search/scroll", $$"""{"scroll":"30s","scroll_id":"{{scrollId}}"}"""))!;
            seen.AddRange(Numbers(page));
        }

        seen.Should().BeEquivalentTo(Enumerable.Range(0, Documents).Select(n => (long)n)).And.OnlyHaveUniqueItems();
        var cleared = await _cluster.RequireAsync("n1", HttpMethod.Delete, "/_search/scroll/_all");
        cleared!["num_freed"]!.GetValue<int>().Should().Be(3);
        ContextsOpen().Should().Be(0);
    }

    [Fact]
    public async Task Scroll_KeepAlivePasses_ContextsFreedOnEveryNodeAndTheScrollIsMissing()
    {
        await CreateAsync("expiring");
        var first = await _cluster.RequireAsync("n2", HttpMethod.Post, "/expiring/_search?scroll=1s", """{"size":5}""");
        var scrollId = first!["_scroll_id"]!.GetValue<string>();
        first["_shards"]!["successful"]!.GetValue<int>().Should().Be(3);

        (await Eventually.TrueAsync(() => ContextsOpen() == 0, TimeSpan.FromSeconds(15))).Should().BeTrue("each node frees its contexts once their keep-alive passed");
        var (status, missing) = await _cluster["n1"].PostAsync("/_search/scroll", $$"""{"scroll":"1m","scroll_id":"{{scrollId}}"}""");
        status.Should().Be(HttpStatusCode.NotFound, missing?.ToJsonString());
    }

    [Fact]
    public async Task Scroll_IdNotOfThisCluster_IllegalArgument()
    {
        var (status, body) = await _cluster["n1"].PostAsync("/_search/scroll", """{"scroll":"1m","scroll_id":"not-a-scroll-id"}""");
        status.Should().Be(HttpStatusCode.BadRequest, body?.ToJsonString());
        body!["error"]!["type"]!.GetValue<string>().Should().Be("illegal_argument_exception");
    }

    /// <summary>An index of 3 shards, no replicas, one shard on each node, holding <see cref="Documents"/> documents numbered from 0.</summary>
    private async Task CreateAsync(string index)
    {
        await _cluster.RequireAsync("n1", HttpMethod.Put, "/" + index, """{"settings":{"number_of_shards":3,"number_of_replicas":0},"mappings":{"properties":{"n":{"type":"long"}}}}""");
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
                .Append(CultureInfo.InvariantCulture, $$"""{"n":{{n}}}""").Append('\n');
        }

        var written = await _cluster.RequireAsync("n1", HttpMethod.Post, "/_bulk?refresh=true", bulk.ToString(), "application/x-ndjson");
        written!["errors"]!.GetValue<bool>().Should().BeFalse(written.ToJsonString());
    }

    private int ContextsOpen() => _cluster.Names.Sum(n => _cluster[n].Services.GetRequiredService<ShardScrollContexts>().Count);

    private static JsonArray Hits(JsonNode page) => page["hits"]!["hits"]!.AsArray();

    private static IEnumerable<long> Numbers(JsonNode page) => Hits(page).Select(h => h!["_source"]!["n"]!.GetValue<long>());
}
