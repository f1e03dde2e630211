using System.Net;
using Cloud.ElasticsearchNode.Tests.Harness;
using FluentAssertions;
using Xunit;

namespace Cloud.ElasticsearchNode.Tests.Documents;

/// <summary>Near-real-time visibility and what survives a restart of the in-process node.</summary>
public sealed class RefreshAndDurabilityTests
{
    [Fact]
    public async Task Write_WithoutRefresh_IsSearchableAfterTheDefaultIntervalAndGettableAtOnce()
    {
        await using var node = await InProcessNode.StartAsync();
        await node.PutAsync("/nrt/_doc/1", new { v = "seen" });

        (await node.GetAsync("/nrt/_doc/1")).Status.Should().Be(HttpStatusCode.OK);
        var searchable = await Cloud.Testing.Eventually.TrueAsync(
            async () => (await node.GetAsync("/nrt/_count")).Body!["count"]!.GetValue<long>() == 1, TimeSpan.FromSeconds(10));
        searchable.Should().BeTrue("the 1 s refresh makes the write searchable");

        (await node.PutAsync("/nrt/_doc/2?refresh=wait_for", new { v = "waited" })).Status.Should().Be(HttpStatusCode.Created);
        (await node.GetAsync("/nrt/_count")).Body!["count"]!.GetValue<long>().Should().Be(2);
    }

    [Fact]
    public async Task Restart_SameDataPath_ReopensIndicesMappingsAndDocuments()
    {
        var node = await InProcessNode.StartAsync();
        await node.PutAsync("/keep", new { settings = new { number_of_shards = 2, number_of_replicas = 0 }, mappings = new { properties = new { k = new { type = "keyword" } } } });
        await node.BulkAsync("/_bulk", Enumerable.Range(0, 100).SelectMany(i => new[] { $$$"""{"index":{"_index":"keep","_id":"{{{i}}}"}}""", $$"""{"k":"v{{i}}"}""" }));
        await node.StopAsync();

        await using var restarted = await InProcessNode.StartAsync(node.DataPath);
        (await restarted.GetAsync("/keep/_count")).Body!["count"]!.GetValue<long>().Should().Be(100);
        (await restarted.GetAsync("/keep/_mapping")).Body!["keep"]!["mappings"]!["properties"]!["k"]!["type"]!.GetValue<string>().Should().Be("keyword");
        (await restarted.GetAsync("/keep/_doc/42")).Body!["_source"]!["k"]!.GetValue<string>().Should().Be("v42");
    }

    [Fact]
    public async Task UnreadableShard_TurnsItsIndexRedAndTheNodeServesTheRest()
    {
        var node = await InProcessNode.StartAsync();
        await node.PutAsync("/broken", new { settings = new { number_of_replicas = 0 } });
        await node.PutAsync("/healthy", new { settings = new { number_of_replicas = 0 } });
        await node.PutAsync("/healthy/_doc/1?refresh=true", new { ok = true });
        var uuid = (await node.GetAsync("/broken/_settings")).Body!["broken"]!["settings"]!["index"]!["uuid"]!.GetValue<string>();
        await node.StopAsync();
        var indexFolder = Path.Combine(node.DataPath, "indices", uuid, "0", "index");
        foreach (var file in Directory.EnumerateFiles(indexFolder, "segments*"))
        {
            await File.WriteAllTextAsync(file, "garbage");
        }

        await using var restarted = await InProcessNode.StartAsync(node.DataPath);
        // The node recovers its shards after it answers HTTP (health is red until then): the healthy index turning green
        // says the recovery is over, so the red that follows is the broken index's own.
        var (healthyStatus, healthy) = await restarted.GetAsync("/_cluster/health/healthy?wait_for_status=green&timeout=30s");
        healthyStatus.Should().Be(HttpStatusCode.OK);
        healthy!["status"]!.GetValue<string>().Should().Be("green");
        var health = (await restarted.GetAsync("/_cluster/health")).Body!;
        health["status"]!.GetValue<string>().Should().Be("red");
        (await restarted.GetAsync("/healthy/_doc/1")).Status.Should().Be(HttpStatusCode.OK);
        (await restarted.GetAsync("/broken/_doc/1")).Status.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await restarted.GetAsync("/_cluster/health?wait_for_status=green&timeout=200ms")).Status.Should().Be(HttpStatusCode.RequestTimeout);
    }
}
