using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Cloud.ElasticsearchNode.Tests.Harness;
using FluentAssertions;
using Xunit;

namespace Cloud.ElasticsearchNode.Tests.Clients;

/// <summary>The node container under <c>docker kill</c> and with the heap the platform gives.</summary>
[Trait("Category", "Integration")]
public sealed class ContainerDurabilityTests
{
    [Fact]
    public async Task DockerKill_DuringWrites_EveryAcknowledgedDocumentIsThereAfterRestart()
    {
        await using var node = await NodeContainer.StartAsync();
        (await node.Http.PutAsJsonAsync(new Uri("/durable", UriKind.Relative), new { settings = new { number_of_shards = 3, number_of_replicas = 0 } }))
            .EnsureSuccessStatusCode();
        var acknowledged = new ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var id = $"w{w}-{i}";
                try
                {
                    using var response = await node.Http.PutAsJsonAsync(new Uri($"/durable/_doc/{id}", UriKind.Relative), new { writer = w, i, text = "acknowledged means durable" });
                    if (response.StatusCode == HttpStatusCode.Created)
                    {
                        acknowledged.Add(id);
                    }
                }
                catch (HttpRequestException)
                {
                    // The node is gone; writes from now on are not acknowledged.
                }
                catch (TaskCanceledException)
                {
                }
            }
        })).ToList();

        var enough = await Cloud.Testing.Eventually.TrueAsync(() => acknowledged.Count >= 300, TimeSpan.FromSeconds(60));
        enough.Should().BeTrue("writers should get 300 acknowledgements");
        await Cloud.Testing.DockerEngine.CliAsync("kill", node.Name);
        await stop.CancelAsync();
        await Task.WhenAll(writers);
        await Cloud.Testing.DockerEngine.CliAsync("start", node.Name);
        await node.WaitUntilAnsweringAsync();

        var ids = acknowledged.ToList();
        var body = new JsonObject { ["ids"] = new JsonArray([.. ids.Select(id => (JsonNode)id)]) };
        using var response = await node.Http.PostAsync(new Uri("/durable/_mget", UriKind.Relative), new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        var docs = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["docs"]!.AsArray();
        docs.Where(d => d!["found"]?.GetValue<bool>() != true).Select(d => d!["_id"]!.GetValue<string>()).Should().BeEmpty();
        docs.Should().HaveCount(ids.Count);
    }

    [Fact]
    public async Task JavaHeapOption_BecomesTheGcHeapHardLimit()
    {
        await using var node = await NodeContainer.StartAsync("ES_JAVA_OPTS=-Xms300m -Xmx300m");

        var stats = await node.GetJsonAsync("/_nodes/stats");
        var heapMax = stats["nodes"]!.AsObject().First().Value!["jvm"]!["mem"]!["heap_max_in_bytes"]!.GetValue<long>();

        heapMax.Should().Be(300L * 1024 * 1024);
    }

    [Fact]
    public async Task OneGigabyteContainer_BulkIndexingWithHalfAsHeap_StaysInsideItsLimit()
    {
        await using var node = await NodeContainer.StartWithMemoryLimitAsync("1g", "ES_JAVA_OPTS=-Xms512m -Xmx512m");
        (await node.Http.PutAsJsonAsync(new Uri("/memory", UriKind.Relative), new { settings = new { number_of_shards = 2, number_of_replicas = 0 } }))
            .EnsureSuccessStatusCode();

        // 40 bulks of 2,000 documents of ~1 KB: 80 MB of source, several times what fits in buffers at once.
        var filler = new string('x', 900);
        const int Bulks = 40, PerBulk = 2000;
        for (var b = 0; b < Bulks; b++)
        {
            var lines = new System.Text.StringBuilder();
            for (var i = 0; i < PerBulk; i++)
            {
                lines.Append("{\"index\":{\"_id\":\"").Append(b * PerBulk + i).Append("\"}}\n");
                lines.Append("{\"n\":").Append(b * PerBulk + i).Append(",\"text\":\"").Append(filler).Append(' ').Append(b).Append("\"}\n");
            }

            using var response = await node.Http.PostAsync(new Uri("/memory/_bulk", UriKind.Relative), new StringContent(lines.ToString(), System.Text.Encoding.UTF8, "application/x-ndjson"));
            response.EnsureSuccessStatusCode();
            JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]!.GetValue<bool>().Should().BeFalse();
        }

        (await node.Http.PostAsync(new Uri("/memory/_refresh", UriKind.Relative), null)).EnsureSuccessStatusCode();
        var count = await node.GetJsonAsync("/memory/_count");
        count["count"]!.GetValue<long>().Should().Be(Bulks * PerBulk);
        var state = await Cloud.Testing.DockerEngine.CliAsync("inspect", "-f", "{{.State.OOMKilled}} {{.RestartCount}} {{.State.Running}}", node.Name);
        state.Should().Be("false 0 true", "the node must index inside its 1 GB container without being OOM-killed");
    }
}
