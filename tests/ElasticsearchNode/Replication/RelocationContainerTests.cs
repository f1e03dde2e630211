using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Cloud.ElasticsearchNode.Tests.Harness;
using FluentAssertions;
using Xunit;

namespace Cloud.ElasticsearchNode.Tests.Replication;

/// <summary>
/// A primary relocation under concurrent writers on the real Docker Engine: the primary's node is excluded, the
/// primary moves to the third node, and at the hand-off the old primary stops writing and drains its writes in
/// flight before the new one takes over. No write is refused, every acknowledged one is readable through every
/// node, and both copies end with the same documents and the same max sequence number.
/// </summary>
[Trait("Category", "Integration")]
public sealed class RelocationContainerTests
{
    private const int Preloaded = 3000;
    private const int Writers = 8;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task PrimaryRelocation_UnderConcurrentWriters_RefusesNone_LosesNone_CopiesIdentical()
    {
        await using var cluster = await ContainerCluster.CreateAsync("n1", "n2", "n3");
        await cluster.StartAsync("n1", "z1");
        await cluster.StartAsync("n2", "z2");
        await cluster.StartAsync("n3", "z3");
        await cluster.FormedAsync();
        await cluster.RequireAsync(HttpMethod.Put, "n1", "/moves", """{"settings":{"number_of_shards":1,"number_of_replicas":1}}""");
        await cluster.HealthAsync("n1", "wait_for_status=green&wait_for_no_relocating_shards=true");
        var bulk = new StringBuilder();
        for (var i = 0; i < Preloaded; i++)
        {
            bulk.Append("{\"index\":{\"_index\":\"moves\",\"_id\":\"pre-" + i + "\"}}\n").Append($$"""{"n":{{i}},"text":"{{new string('x', 200)}}"}""").Append('\n');
        }

        (await cluster.RequireAsync(HttpMethod.Post, "n1", "/_bulk", bulk.ToString())).GetProperty("errors").GetBoolean().Should().BeFalse();
        var oldPrimary = (await cluster.ShardsAsync("n1")).Single(s => s.Primary).Node!;

        var acknowledged = new ConcurrentBag<string>();
        var refused = new ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();
        var nodes = cluster.Nodes.ToArray();
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var id = $"w{w}-{i}";
                try
                {
                    using var response = await cluster.SendAsync(HttpMethod.Put, nodes[(w + i) % nodes.Length], $"/moves/_doc/{id}", $$"""{"writer":"{{id}}"}""", stop.Token);
                    if (response.IsSuccessStatusCode)
                    {
                        acknowledged.Add(id);
                    }
                    else
                    {
                        refused.Add($"{id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                    }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    // Stopped mid-request: not acknowledged, not refused.
                }
            }
        })).ToList();
        await Eventually(() => Task.FromResult(acknowledged.Count >= 200 || !refused.IsEmpty), "the writers to get going");
        refused.Should().BeEmpty("writes are accepted before the relocation");

        var atExclusion = acknowledged.Count;
        await cluster.RequireAsync(HttpMethod.Put, "n1", "/_cluster/settings", $$$"""{"persistent":{"cluster.routing.allocation.exclude._name":"{{{oldPrimary}}}"}}""");
        await Eventually(async () => (await cluster.ShardsAsync("n1")).All(s => s.State == "STARTED" && s.Node != oldPrimary), $"both copies to leave {oldPrimary}");
        var newPrimary = (await cluster.ShardsAsync("n1")).Single(s => s.Primary).Node;
        var atRelocated = acknowledged.Count;
        await Eventually(() => Task.FromResult(acknowledged.Count >= atRelocated + 200), "writes to go on on the new primary");
        await stop.CancelAsync();
        await Task.WhenAll(writers);

        newPrimary.Should().NotBe(oldPrimary);
        atRelocated.Should().BeGreaterThan(atExclusion, "writes were acknowledged while the primary moved");
        refused.Should().BeEmpty("a relocation hand-off delays writes, it does not refuse them");
        foreach (var node in cluster.Nodes)
        {
            (await cluster.MissingAsync("moves", node, acknowledged)).Should().BeEmpty($"every acknowledged write is readable through {node}");
        }

        // Writes cancelled by the client may still land: poll until both copies have settled to the same history.
        JsonElement copies = default;
        try
        {
            await Eventually(async () =>
            {
                await cluster.RequireAsync(HttpMethod.Post, "n2", "/moves/_refresh");
                copies = (await cluster.GetAsync("n2", "/moves/_stats?level=shards")).GetProperty("indices").GetProperty("moves").GetProperty("shards").GetProperty("0");
                var stats = copies.EnumerateArray().Select(c => (Docs: c.GetProperty("docs").GetProperty("count").GetInt64(), MaxSeqNo: c.GetProperty("seq_no").GetProperty("max_seq_no").GetInt64(),
                    Checkpoint: c.GetProperty("seq_no").GetProperty("local_checkpoint").GetInt64())).ToList();
                return stats.Count == 2 && stats.Distinct().Count() == 1 && stats[0].Checkpoint == stats[0].MaxSeqNo;
            }, "both copies to hold the same documents up to the same sequence number");
        }
        catch (TimeoutException ex)
        {
            var logs = string.Join("\n", await Task.WhenAll(cluster.Nodes.Select(async n => $"--- {n}\n{await cluster.LogsAsync(n)}")));
            throw new TimeoutException($"{ex.Message} Last copies: {copies.GetRawText()}; old primary {oldPrimary}, new {newPrimary}; acknowledged {acknowledged.Count}\n{logs}", ex);
        }

        copies.EnumerateArray().Should().OnlyContain(c => c.GetProperty("docs").GetProperty("count").GetInt64() >= Preloaded + acknowledged.Count, copies.GetRawText());
    }

    private static Task Eventually(Func<Task<bool>> condition, string what) =>
        Cloud.Testing.Eventually.AssertAsync(condition, Deadline, what, TimeSpan.FromMilliseconds(250));
}
