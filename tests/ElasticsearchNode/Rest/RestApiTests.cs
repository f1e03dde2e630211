using System.Net;
using System.Text.Json.Nodes;
using Cloud.ElasticsearchNode.Tests.Harness;
using FluentAssertions;
using Xunit;

namespace Cloud.ElasticsearchNode.Tests.Rest;

/// <summary>The node's REST API over real HTTP, in-process: the look, the errors, indices and documents.</summary>
public sealed class RestApiTests : IAsyncLifetime
{
    private InProcessNode _node = null!;

    public async Task InitializeAsync() => _node = await InProcessNode.StartAsync();

    public async Task DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task Root_VersionedMediaType_AnswersInKindWithProductHeader()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.TryAddWithoutValidation("Accept", "application/vnd.elasticsearch+json; compatible-with=9");
        using var response = await _node.Http.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Headers.GetValues("X-Elastic-Product").Should().Equal("Elasticsearch");
        response.Content.Headers.ContentType!.ToString().Should().Contain("compatible-with=9");
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        body["tagline"]!.GetValue<string>().Should().Be("You Know, for Search");
        body["version"]!["build_flavor"]!.GetValue<string>().Should().Be("default");
    }

    [Fact]
    public async Task UnknownEndpointAndMalformedJson_GetElasticsearchErrorsWithProductHeader()
    {
        using var unknown = await _node.Http.GetAsync(new Uri("/_nope/x/y/z", UriKind.Relative));
        unknown.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        unknown.Headers.GetValues("X-Elastic-Product").Should().Equal("Elasticsearch");

        var (status, body) = await _node.PutAsync("/bad", "{\"settings\": ");
        status.Should().Be(HttpStatusCode.BadRequest);
        body!["error"]!["type"]!.GetValue<string>().Should().Be("x_content_parse_exception");
        (await _node.SendAsync(HttpMethod.Head, "/bad")).Status.Should().Be(HttpStatusCode.NotFound);

        var (wrongType, _) = await _node.SendAsync(HttpMethod.Post, "/x/_doc", "a=b", "application/xml");
        wrongType.Should().Be(HttpStatusCode.NotAcceptable);
    }

    [Fact]
    public async Task CreateIndex_Twice_SecondIsResourceAlreadyExists()
    {
        var (created, _) = await _node.PutAsync("/books", new { settings = new { number_of_shards = 3, number_of_replicas = 0 } });
        var (again, body) = await _node.PutAsync("/books");

        created.Should().Be(HttpStatusCode.OK);
        again.Should().Be(HttpStatusCode.BadRequest);
        body!["error"]!["root_cause"]![0]!["type"]!.GetValue<string>().Should().Be("resource_already_exists_exception");
        body["status"]!.GetValue<int>().Should().Be(400);
        var settings = (await _node.GetAsync("/books/_settings")).Body!;
        settings["books"]!["settings"]!["index"]!["number_of_shards"]!.GetValue<string>().Should().Be("3");
        (await _node.GetAsync("/_cluster/health?wait_for_status=green&timeout=5s")).Body!["status"]!.GetValue<string>().Should().Be("green");
    }

    [Fact]
    public async Task Documents_IndexGetUpdateDelete_WithVersionsAndConcurrencyControl()
    {
        var (status, indexed) = await _node.PutAsync("/docs/_doc/1?refresh=true", new { title = "first", count = 1 });
        status.Should().Be(HttpStatusCode.Created);
        indexed!["result"]!.GetValue<string>().Should().Be("created");

        var (conflict, conflictBody) = await _node.PutAsync("/docs/_create/1", new { title = "again" });
        conflict.Should().Be(HttpStatusCode.Conflict);
        conflictBody!["error"]!["type"]!.GetValue<string>().Should().Be("version_conflict_engine_exception");

        var (updated, updateBody) = await _node.PostAsync("/docs/_update/1", new { doc = new { count = 2 } });
        updated.Should().Be(HttpStatusCode.OK);
        updateBody!["_version"]!.GetValue<long>().Should().Be(2);
        var seqNo = updateBody["_seq_no"]!.GetValue<long>();

        (await _node.PostAsync("/docs/_update/1", new { doc = new { count = 2 } })).Body!["result"]!.GetValue<string>().Should().Be("noop");
        (await _node.PutAsync($"/docs/_doc/1?if_seq_no={seqNo - 1}&if_primary_term=1", new { title = "stale" })).Status.Should().Be(HttpStatusCode.Conflict);
        (await _node.PutAsync($"/docs/_doc/1?if_seq_no={seqNo}&if_primary_term=1", new { title = "fresh", count = 3 })).Status.Should().Be(HttpStatusCode.OK);

        var document = (await _node.GetAsync("/docs/_doc/1")).Body!;
        document["_source"]!["title"]!.GetValue<string>().Should().Be("fresh");
        document["_version"]!.GetValue<long>().Should().Be(3);

        (await _node.PostAsync("/docs/_update/2", new { doc = new { title = "upserted" }, doc_as_upsert = true })).Status.Should().Be(HttpStatusCode.Created);
        (await _node.PostAsync("/docs/_update/3", new { doc = new { title = "missing" } })).Body!["error"]!["type"]!.GetValue<string>().Should().Be("document_missing_exception");
        (await _node.DeleteAsync("/docs/_doc/1")).Body!["result"]!.GetValue<string>().Should().Be("deleted");
        (await _node.GetAsync("/docs/_doc/1")).Status.Should().Be(HttpStatusCode.NotFound);
        (await _node.DeleteAsync("/docs/_doc/1")).Status.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Bulk_MixedGoodAndBadItems_FailsOnlyTheBadOnes()
    {
        await _node.PutAsync("/typed", new { mappings = new { properties = new { n = new { type = "long" } } } });
        var (status, body) = await _node.BulkAsync("/_bulk?refresh=true",
        [
            """{"index":{"_index":"typed","_id":"1"}}""", """{"n":1}""",
            """{"index":{"_index":"typed","_id":"2"}}""", """{"n":"not a number"}""",
            """{"create":{"_index":"typed","_id":"1"}}""", """{"n":3}""",
            """{"update":{"_index":"typed","_id":"1"}}""", """{"doc":{"n":5}}""",
            """{"delete":{"_index":"typed","_id":"9"}}""",
            """{"index":{"_index":"typed"}}""", """{"n":6}""",
        ]);

        status.Should().Be(HttpStatusCode.OK);
        body!["errors"]!.GetValue<bool>().Should().BeTrue();
        var items = body["items"]!.AsArray();
        items.Select(i => i!.AsObject().First().Value!["status"]!.GetValue<int>()).Should().Equal(201, 400, 409, 200, 404, 201);
        items[1]!["index"]!["error"]!["type"]!.GetValue<string>().Should().Be("mapper_parsing_exception");
        (await _node.GetAsync("/typed/_count")).Body!["count"]!.GetValue<long>().Should().Be(2);
        (await _node.GetAsync("/typed/_doc/1")).Body!["_source"]!["n"]!.GetValue<long>().Should().Be(5);

        var (malformed, error) = await _node.BulkAsync("/_bulk", ["""{"index":{"_index":"typed"}""", """{"n":1}"""]);
        malformed.Should().Be(HttpStatusCode.BadRequest);
        error!["error"]!["type"]!.GetValue<string>().Should().Be("illegal_argument_exception");
    }

    [Fact]
    public async Task DynamicMapping_NewFields_GetElasticsearchTypes()
    {
        await _node.PutAsync("/dyn/_doc/1", new { name = "x", count = 3, price = 1.5, ok = true, when = "2024-05-01T10:00:00Z", nested = new { inner = "y" } });

        var properties = (await _node.GetAsync("/dyn/_mapping")).Body!["dyn"]!["mappings"]!["properties"]!;
        properties["name"]!["type"]!.GetValue<string>().Should().Be("text");
        properties["name"]!["fields"]!["keyword"]!["type"]!.GetValue<string>().Should().Be("keyword");
        properties["count"]!["type"]!.GetValue<string>().Should().Be("long");
        properties["price"]!["type"]!.GetValue<string>().Should().Be("float");
        properties["ok"]!["type"]!.GetValue<string>().Should().Be("boolean");
        properties["when"]!["type"]!.GetValue<string>().Should().Be("date");
        properties["nested"]!["properties"]!["inner"]!["type"]!.GetValue<string>().Should().Be("text");

        var (status, body) = await _node.PutAsync("/dyn/_doc/2", new { count = "many" });
        status.Should().Be(HttpStatusCode.BadRequest);
        body!["error"]!["type"]!.GetValue<string>().Should().Be("mapper_parsing_exception");
    }

    [Fact]
    public async Task BodyOverMaxContentLength_Is413AndNodeKeepsServing()
    {
        var big = new string('x', 101 * 1024 * 1024);
        var (status, body) = await _node.SendAsync(HttpMethod.Post, "/big/_doc", big);

        status.Should().Be(HttpStatusCode.RequestEntityTooLarge);
        body!["status"]!.GetValue<int>().Should().Be(413);
        (await _node.GetAsync("/")).Status.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Aliases_AndCatApis_ListWhatExists()
    {
        await _node.PutAsync("/logs-1", new { aliases = new { logs = new { } }, settings = new { number_of_replicas = 0 } });
        await _node.PutAsync("/logs-1/_doc/1?refresh=true", new { m = "a" });

        (await _node.GetAsync("/logs/_doc/1")).Body!["_index"]!.GetValue<string>().Should().Be("logs-1");
        (await _node.GetAsync("/logs/_count")).Body!["count"]!.GetValue<long>().Should().Be(1);
        var cat = (await _node.GetAsync("/_cat/indices?format=json")).Body!.AsArray();
        cat.Should().ContainSingle(i => i!["index"]!.GetValue<string>() == "logs-1" && i["docs.count"]!.GetValue<string>() == "1");
        var text = (await _node.GetAsync("/_cat/indices?v")).Body!.GetValue<string>();
        text.Should().StartWith("health status index").And.Contain("logs-1");
        (await _node.GetAsync("/_cat/shards?format=json")).Body!.AsArray().Should().ContainSingle(s => s!["state"]!.GetValue<string>() == "STARTED");
        (await _node.GetAsync("/_cluster/state")).Body!["routing_table"]!["indices"]!["logs-1"].Should().NotBeNull();
    }
}
