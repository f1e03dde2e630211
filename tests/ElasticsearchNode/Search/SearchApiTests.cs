using System.Net;
using System.Text.Json.Nodes;
using Cloud.ElasticsearchNode.Tests.Harness;
using FluentAssertions;
using Xunit;

namespace Cloud.ElasticsearchNode.Tests.Search;

/// <summary>Query translation, scoring order, sorting, paging and aggregations over a small multi-shard corpus.</summary>
public sealed class SearchApiTests : IAsyncLifetime
{
    private InProcessNode _node = null!;

    public async Task InitializeAsync()
    {
        _node = await InProcessNode.StartAsync();
        await _node.PutAsync("/library", new
        {
            settings = new { number_of_shards = 3, number_of_replicas = 0 },
            mappings = new { properties = new { title = new { type = "text" }, genre = new { type = "keyword" }, year = new { type = "long" }, rating = new { type = "double" }, published = new { type = "date" } } },
        });
        var lines = new List<string>();
        string[] titles = ["the quick brown fox", "quick quick quick fox", "a lazy dog sleeps", "brown bears and brown foxes", "fox"];
        string[] genres = ["fable", "fable", "story", "nature", "fable"];
        for (var i = 0; i < titles.Length; i++)
        {
            lines.Add($$$"""{"index":{"_index":"library","_id":"{{{i + 1}}}"}}""");
            lines.Add($$"""{"title":"{{titles[i]}}","genre":"{{genres[i]}}","year":{{2000 + i}},"rating":{{i * 1.5}},"published":"202{{i}}-01-15"}""");
        }

        lines.Add("""{"index":{"_index":"library","_id":"6"}}""");
        lines.Add("""{"title":"untitled draft"}""");
        (await _node.BulkAsync("/_bulk?refresh=wait_for", lines)).Body!["errors"]!.GetValue<bool>().Should().BeFalse();
    }

    public async Task DisposeAsync() => await _node.DisposeAsync();

    private async Task<JsonNode> SearchAsync(object body, string path = "/library/_search")
    {
        var (status, result) = await _node.PostAsync(path, body);
        status.Should().Be(HttpStatusCode.OK, result?.ToJsonString());
        return result!;
    }

    private static string[] Ids(JsonNode result) => [.. result["hits"]!["hits"]!.AsArray().Select(h => h!["_id"]!.GetValue<string>())];

    [Fact]
    public async Task Match_ByBm25_ShortFieldWithTheTermRanksFirst()
    {
        // One shard: scores use shard-local statistics, as in Elasticsearch, so ranking across shards may differ.
        await _node.PutAsync("/scoring", new { settings = new { number_of_shards = 1, number_of_replicas = 0 } });
        await _node.BulkAsync("/scoring/_bulk?refresh=true",
        [
            """{"index":{"_id":"long"}}""", """{"title":"a fox in a very long title about many other things"}""",
            """{"index":{"_id":"short"}}""", """{"title":"fox"}""",
            """{"index":{"_id":"twice"}}""", """{"title":"fox and another fox jumping"}""",
            """{"index":{"_id":"none"}}""", """{"title":"dog"}""",
        ]);

        var result = await SearchAsync(new { query = new { match = new { title = "fox" } } }, "/scoring/_search");

        Ids(result).Should().Equal("short", "twice", "long");
        result["hits"]!["total"]!["value"]!.GetValue<long>().Should().Be(3);
        var scores = result["hits"]!["hits"]!.AsArray().Select(h => h!["_score"]!.GetValue<double>()).ToList();
        scores.Should().BeInDescendingOrder();
        result["hits"]!["max_score"]!.GetValue<double>().Should().Be(scores[0]);
    }

    [Fact]
    public async Task MatchOperatorAnd_MultiMatchAndQueryString_TranslateAsElasticsearch()
    {
        Ids(await SearchAsync(new { query = new { match = new { title = new { query = "quick fox", @operator = "and" } } } })).Should().BeEquivalentTo(["1", "2"]);
        Ids(await SearchAsync(new { query = new { multi_match = new { query = "fable", fields = new[] { "title", "genre" } } } })).Should().BeEquivalentTo(["1", "2", "5"]);
        Ids(await SearchAsync(new { query = new { query_string = new { query = "genre:story OR title:bears" } } })).Should().BeEquivalentTo(["3", "4"]);
        Ids(await SearchAsync(new { query = new { query_string = new { query = "year:[2003 TO *]" } } })).Should().BeEquivalentTo(["4", "5"]);
    }

    [Fact]
    public async Task TermLevelQueries_MatchExactValues()
    {
        Ids(await SearchAsync(new { query = new { term = new { genre = "fable" } } })).Should().BeEquivalentTo(["1", "2", "5"]);
        Ids(await SearchAsync(new { query = new { terms = new { year = new[] { 2000, 2004 } } } })).Should().BeEquivalentTo(["1", "5"]);
        Ids(await SearchAsync(new { query = new { range = new { rating = new { gt = 1.5, lte = 4.5 } } } })).Should().BeEquivalentTo(["3", "4"]);
        Ids(await SearchAsync(new { query = new { range = new { published = new { gte = "2022-01-01", lt = "2024-01-01" } } } })).Should().BeEquivalentTo(["3", "4"]);
        Ids(await SearchAsync(new { query = new { exists = new { field = "genre" } } })).Should().HaveCount(5);
        Ids(await SearchAsync(new { query = new { ids = new { values = new[] { "2", "6", "99" } } } })).Should().BeEquivalentTo(["2", "6"]);
        Ids(await SearchAsync(new { query = new { prefix = new { genre = "na" } } })).Should().BeEquivalentTo(["4"]);
        Ids(await SearchAsync(new { query = new { wildcard = new { title = "slee*" } } })).Should().BeEquivalentTo(["3"]);
    }

    [Fact]
    public async Task Bool_MustFilterShouldMustNot_Combine()
    {
        var result = await SearchAsync(new
        {
            query = new
            {
                @bool = new
                {
                    must = new object[] { new { match = new { title = "fox" } } },
                    filter = new object[] { new { term = new { genre = "fable" } } },
                    must_not = new object[] { new { term = new { year = 2004 } } },
                },
            },
        });
        Ids(result).Should().BeEquivalentTo(["1", "2"]);

        Ids(await SearchAsync(new { query = new { @bool = new { must_not = new object[] { new { exists = new { field = "genre" } } } } } })).Should().Equal("6");
    }

    [Fact]
    public async Task SortFromSizeAndSourceFiltering_PageDeterministically()
    {
        var page = await SearchAsync(new { sort = new object[] { new { year = "desc" } }, from = 1, size = 2, _source = new[] { "year" } });

        Ids(page).Should().Equal("4", "3");
        page["hits"]!["hits"]![0]!["_source"]!.ToJsonString().Should().Be("""{"year":2003}""");
        page["hits"]!["hits"]![0]!["sort"]![0]!.GetValue<long>().Should().Be(2003);
        page["hits"]!["hits"]![0]!["_score"].Should().BeNull();

        var byKeyword = await SearchAsync(new { sort = new object[] { new { genre = "asc" }, new { year = "asc" } }, size = 10 });
        Ids(byKeyword).Should().Equal("1", "2", "5", "4", "3", "6");
    }

    [Fact]
    public async Task SearchAfterAndScroll_PageThroughEverything()
    {
        var seen = new List<string>();
        JsonNode? after = null;
        while (true)
        {
            var body = new JsonObject { ["size"] = 2, ["sort"] = new JsonArray(new JsonObject { ["year"] = "asc" }) };
            if (after is not null)
            {
                body["search_after"] = after.DeepClone();
            }

            var page = await SearchAsync(body);
            var hits = page["hits"]!["hits"]!.AsArray();
            if (hits.Count == 0)
            {
                break;
            }

            seen.AddRange(hits.Select(h => h!["_id"]!.GetValue<string>()));
            after = hits[^1]!["sort"];
        }

        seen.Should().Equal("1", "2", "3", "4", "5", "6");

        var scrolled = new List<string>();
        var first = await SearchAsync(new { size = 4, query = new { match_all = new { } } }, "/library/_search?scroll=1m");
        scrolled.AddRange(Ids(first));
        var scrollId = first["_scroll_id"]!.GetValue<string>();
        while (true)
        {
            var next = await SearchAsync(new { scroll = "1m", scroll_id = scrollId }, "/_search/scroll");
            if (Ids(next).Length == 0)
            {
                break;
            }

            scrolled.AddRange(Ids(next));
        }

        scrolled.Should().BeEquivalentTo(["1", "2", "3", "4", "5", "6"]).And.OnlyHaveUniqueItems();
        (await _node.SendAsync(HttpMethod.Delete, "/_search/scroll", new { scroll_id = scrollId })).Body!["num_freed"]!.GetValue<int>().Should().Be(1);
        (await _node.PostAsync("/_search/scroll", new { scroll_id = scrollId })).Status.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Aggregations_MergedAcrossShards()
    {
        var result = await SearchAsync(new
        {
            size = 0,
            aggs = new
            {
                genres = new { terms = new { field = "genre" } },
                oldest = new { min = new { field = "year" } },
                newest = new { max = new { field = "published" } },
                mean = new { avg = new { field = "rating" } },
                total = new { sum = new { field = "year" } },
                rated = new { value_count = new { field = "rating" } },
            },
        });

        var aggregations = result["aggregations"]!;
        var buckets = aggregations["genres"]!["buckets"]!.AsArray();
        buckets[0]!["key"]!.GetValue<string>().Should().Be("fable");
        buckets[0]!["doc_count"]!.GetValue<long>().Should().Be(3);
        buckets.Should().HaveCount(3);
        aggregations["oldest"]!["value"]!.GetValue<double>().Should().Be(2000);
        aggregations["newest"]!["value_as_string"]!.GetValue<string>().Should().Be("2024-01-15T00:00:00.000Z");
        aggregations["mean"]!["value"]!.GetValue<double>().Should().Be(3);
        aggregations["total"]!["value"]!.GetValue<double>().Should().Be(10010);
        aggregations["rated"]!["value"]!.GetValue<long>().Should().Be(5);

        var (status, error) = await _node.PostAsync("/library/_search", new { aggs = new { t = new { terms = new { field = "title" } } } });
        status.Should().Be(HttpStatusCode.BadRequest);
        error!["error"]!["type"]!.GetValue<string>().Should().Be("illegal_argument_exception");
    }

    [Fact]
    public async Task SearchAcrossIndices_WildcardsAllAndErrors()
    {
        await _node.PutAsync("/library-2/_doc/x?refresh=true", new { title = "another fox" });

        (await SearchAsync(new { query = new { match = new { title = "fox" } } }, "/library*/_search"))["hits"]!["total"]!["value"]!.GetValue<long>().Should().Be(4);
        (await SearchAsync(new { query = new { match_all = new { } } }, "/_all/_search"))["hits"]!["total"]!["value"]!.GetValue<long>().Should().Be(7);
        (await SearchAsync(new { query = new { match_all = new { } } }, "/library,library-2/_search"))["_shards"]!["total"]!.GetValue<int>().Should().Be(4);
        (await _node.PostAsync("/_count", new { query = new { term = new { genre = "fable" } } })).Body!["count"]!.GetValue<long>().Should().Be(3);
        (await SearchAsync(new { query = new { match_all = new { } } }, "/nothing-*/_search"))["hits"]!["total"]!["value"]!.GetValue<long>().Should().Be(0);

        var (status, body) = await _node.PostAsync("/library/_search", new { query = new { fuzzy_whatever = new { } } });
        status.Should().Be(HttpStatusCode.BadRequest);
        body!["error"]!["type"]!.GetValue<string>().Should().Be("parsing_exception");
    }

    [Fact]
    public async Task TrackTotalHits_CapsOrOmitsTheTotal()
    {
        var capped = await SearchAsync(new { track_total_hits = 2, query = new { match_all = new { } } });
        capped["hits"]!["total"]!["value"]!.GetValue<long>().Should().Be(2);
        capped["hits"]!["total"]!["relation"]!.GetValue<string>().Should().Be("gte");
        (await SearchAsync(new { track_total_hits = false }))["hits"]!["total"].Should().BeNull();
    }
}
