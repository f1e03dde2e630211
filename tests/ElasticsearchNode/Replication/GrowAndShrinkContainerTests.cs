using Cloud.ElasticsearchNode.Tests.Harness;
using FluentAssertions;
using Xunit;

namespace Cloud.ElasticsearchNode.Tests.Replication;

/// <summary>
/// The constructor's grow-and-shrink, by hand through the API on node containers: three new nodes join
/// three old ones, the old ones are excluded from allocation (their copies recover onto the new nodes)
/// and withdrawn from voting, then stopped; the new three hold every document and stay green.
/// </summary>
[Trait("Category", "Integration")]
public sealed class GrowAndShrinkContainerTests
{
    private const int Documents = 500;

    [Fact]
    public async Task GrowThreeToSix_ThenExcludeAndStopTheOldThree_EveryDocumentOnTheNewNodes()
    {
        await using var cluster = await ContainerCluster.CreateAsync("n1", "n2", "n3");
        string[] zones = ["z1", "z2", "z3"];
        for (var i = 1; i <= 3; i++)
        {
            await cluster.StartAsync($"n{i}", zones[i - 1]);
        }

        await cluster.FormedAsync();
        await cluster.RequireAsync(HttpMethod.Put, "n1", "/metrics", """{"settings":{"number_of_shards":3,"number_of_replicas":1}}""");
        await cluster.HealthAsync("n1", "wait_for_status=green");
        var bulk = string.Concat(Enumerable.Range(0, Documents).Select(i => "{\"index\":{\"_id\":\"m" + i + "\"}}\n{\"value\":" + i + "}\n"));
        var indexed = await cluster.RequireAsync(HttpMethod.Post, "n2", "/metrics/_bulk?refresh=true", bulk);
        indexed.GetProperty("errors").GetBoolean().Should().BeFalse();

        for (var i = 4; i <= 6; i++)
        {
            await cluster.StartAsync($"n{i}", zones[i - 4]);
        }

        await cluster.HealthAsync("n1", "wait_for_nodes=6&wait_for_status=green");
        await cluster.RequireAsync(HttpMethod.Put, "n4", "/_cluster/settings", """{"persistent":{"cluster.routing.allocation.exclude._name":"n1,n2,n3"}}""");
        await Cloud.Testing.Eventually.AssertAsync(async () =>
        {
            var shards = await cluster.ShardsAsync("n4");
            return shards.Count == 6 && shards.All(s => s.State == "STARTED" && s.Node is "n4" or "n5" or "n6");
        }, TimeSpan.FromSeconds(120), "every copy to move to the new nodes", TimeSpan.FromMilliseconds(500));
        await cluster.HealthAsync("n4", "wait_for_status=green&wait_for_no_relocating_shards=true");
        await cluster.RequireAsync(HttpMethod.Post, "n4", "/_cluster/voting_config_exclusions?node_names=n1,n2,n3");

        for (var i = 1; i <= 3; i++)
        {
            await cluster.StopAsync($"n{i}");
        }

        var health = await cluster.HealthAsync("n5", "wait_for_nodes=3&wait_for_status=green");
        health.GetProperty("number_of_nodes").GetInt32().Should().Be(3);
        health.GetProperty("active_shards").GetInt32().Should().Be(6);
        foreach (var node in new[] { "n4", "n5", "n6" })
        {
            var count = await cluster.GetAsync(node, "/metrics/_count");
            count.GetProperty("count").GetInt64().Should().Be(Documents, $"{node} reads every document after the old nodes left");
            count.GetProperty("_shards").GetProperty("failed").GetInt32().Should().Be(0);
        }

        var sum = await cluster.RequireAsync(HttpMethod.Post, "n6", "/metrics/_search", """{"size":0,"aggs":{"total":{"sum":{"field":"value"}}}}""");
        sum.GetProperty("aggregations").GetProperty("total").GetProperty("value").GetDouble().Should().Be(Documents * (Documents - 1) / 2);
    }
}
