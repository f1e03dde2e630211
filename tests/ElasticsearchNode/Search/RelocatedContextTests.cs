using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Cloud.ElasticsearchNode.Indices;
using Cloud.ElasticsearchNode.Tests.Harness;
using Cloud.Testing;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using Xunit.Abstractions;

namespace Cloud.ElasticsearchNode.Tests.Search;

/// <summary>
/// A scroll and a point in time whose only shard copy relocates to another node (and is closed and deleted on the old
/// one) while they are open: each answers either exactly what it would have (its context keeps the old copy's searcher,
/// whose files stay readable while open) or Elasticsearch's search_context_missing_exception (404), never a wrong or
/// partial answer.
/// </summary>
[Trait("Category", "Integration")]
public sealed class RelocatedContextTests(ITestOutputHelper output)
{
    private const string Index = "moving";
    private const int Documents = 60;

    [Fact]
    public async Task ScrollAndPit_TheirCopyRelocatesAway_WholeAnswerOrContextMissing()
    {
        await using var cluster = await InProcessCluster.StartAsync(3);
        await cluster.RequireAsync("n1", HttpMethod.Put, "/" + Index, """{"settings":{"number_of_shards":1,"number_of_replicas":0},"mappings":{"properties":{"n":{"type":"long"}}}}""");
        await cluster.RequireAsync("n1", HttpMethod.Get, $"/_cluster/health/{Index}?wait_for_status=green&timeout=60s");
        var bulk = new StringBuilder();
        for (var n = 0; n < Documents; n++)
        {
            bulk.Append(CultureInfo.InvariantCulture, $$$"""{"index":{"_index":"{{{Index}}}","_id":"d{{{n}}}"}}""").Append('\n')
                .Append(CultureInfo.InvariantCulture, $$"""{"n":{{n}}}""").Append('\n');
        }

        await cluster.RequireAsync("n1", HttpMethod.Post, "/_bulk?refresh=true", bulk.ToString(), "application/x-ndjson");
        var first = (await cluster.RequireAsync("n1", HttpMethod.Post, $"/{Index}/_search?scroll=1m", """{"size":10,"sort":[{"n":"asc"}]}"""))!;
        var scrollId = first["_scroll_id"]!.GetValue<string>();
        var pitId = (await cluster.RequireAsync("n2", HttpMethod.Post, $"/{Index}/_pit?keep_alive=1m"))!["id"]!.GetValue<string>();
        var state = InProcessCluster.ClusterOf(cluster["n1"]).State;
        var holderId = state.Routing.Shards.Single(s => s.Index == Index).NodeId!;
        var holder = state.Nodes[holderId].Name;
        var uuid = state.Metadata.Indices[Index].Uuid;

        await cluster.RequireAsync("n1", HttpMethod.Put, $"/{Index}/_settings", $$"""{"index.routing.allocation.exclude._name":"{{holder}}"}""");
        var moved = await Eventually.TrueAsync(() =>
        {
            var copies = InProcessCluster.ClusterOf(cluster["n1"]).State.Routing.Shards.Where(s => s.Index == Index).ToList();
            var oldSlot = cluster[holder].Services.GetRequiredService<IndicesService>().Get(uuid)?.Shards[0];
            return copies is [{ Active: true, RelocatingNodeId: null } now] && now.NodeId != holderId && oldSlot?.Shard is null;
        }, TimeSpan.FromSeconds(60));
        moved.Should().BeTrue($"the copy moves off {holder} and is closed there");

        // The scroll: every later page from another node, until it is empty or its context is reported missing.
        var seen = new List<long>(Numbers(first));
        for (var i = 0; ; i++)
        {
            var (status, page) = await cluster[cluster.Names[i % 3]].PostAsync("/_search/scroll", $$"""{"scroll":"1m","scroll_id":"{{scrollId}}"}""");
            if (status == HttpStatusCode.NotFound)
            {
                page!["error"]!["type"]!.GetValue<string>().Should().Be("search_context_missing_exception");
                output.WriteLine($"scroll: context missing after {seen.Count} documents");
                break;
            }

            status.Should().Be(HttpStatusCode.OK, page?.ToJsonString());
            page!["_shards"]!["failed"]!.GetValue<int>().Should().Be(0, "a page is whole or the scroll is missing: " + page.ToJsonString());
            if (Numbers(page).Count == 0)
            {
                seen.Should().Equal(Enumerable.Range(0, Documents).Select(n => (long)n), "a scroll that kept working saw every document once, in order");
                output.WriteLine("scroll: kept working on the old copy's searcher");
                break;
            }

            seen.AddRange(Numbers(page));
        }

        var (pitStatus, pitPage) = await cluster["n3"].PostAsync("/_search", $$$"""{"size":100,"pit":{"id":"{{{pitId}}}"},"sort":[{"n":"asc"}],"track_total_hits":true}""");
        if (pitStatus == HttpStatusCode.NotFound)
        {
            pitPage!["error"]!["type"]!.GetValue<string>().Should().Be("search_context_missing_exception");
            output.WriteLine("pit: context missing");
        }
        else
        {
            pitStatus.Should().Be(HttpStatusCode.OK, pitPage?.ToJsonString());
            Numbers(pitPage!).Should().Equal(Enumerable.Range(0, Documents).Select(n => (long)n), "a point in time that kept working answers whole");
            output.WriteLine("pit: kept working on the old copy's searcher");
        }
    }

    private static List<long> Numbers(JsonNode page) => [.. page["hits"]!["hits"]!.AsArray().Select(h => h!["_source"]!["n"]!.GetValue<long>())];
}
