using System.Collections.Concurrent;
using System.Text.Json;
using Cloud.ElasticsearchNode.Tests.Harness;
using FluentAssertions;
using Xunit;

namespace Cloud.ElasticsearchNode.Tests.Replication;

/// <summary>
/// Two replicas per shard on three node containers, writers on two nodes, the third node (holding primaries) killed:
/// after the promotions every surviving copy of every shard holds the same documents, and every acknowledged one.
/// Each node's own copies are read with <c>preference=_only_local</c>.
/// </summary>
[Trait("Category", "Integration")]
public sealed class ResyncContainerTests
{
    private const string Index = "orders";
    private const int Writers = 8;

    [Fact]
    public async Task KillingAPrimarysNode_WithTwoReplicasUnderWrites_LeavesEveryCopyIdenticalWithEveryAcknowledgedWrite()
    {
        await using var cluster = await ContainerCluster.CreateAsync("n1", "n2", "n3");
        await cluster.StartAsync("n1", "z1");
        await cluster.StartAsync("n2", "z2");
        await cluster.StartAsync("n3", "z3");
        await cluster.FormedAsync();
        await cluster.RequireAsync(HttpMethod.Put, "n1", "/" + Index,
            """{"settings":{"number_of_shards":3,"number_of_replicas":2},"mappings":{"properties":{"n":{"type":"keyword"},"w":{"type":"keyword"}}}}""");
        await cluster.HealthAsync("n1", "wait_for_status=green");
        var victim = (await cluster.ShardsAsync("n1")).Where(s => s.Primary).GroupBy(s => s.Node!).OrderByDescending(g => g.Count()).First().Key;
        var survivors = cluster.Nodes.Where(n => n != victim).ToList();

        // Per id, every value written in order and whether it was acknowledged (each writer owns its ids).
        var attempts = new ConcurrentDictionary<string, List<(string Value, bool Acknowledged)>>(StringComparer.Ordinal);
        var acknowledgedCount = 0;
        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                // Each writer also rewrites one of its earlier ids now and then: a promoted primary must not lose that either.
                var id = i % 5 == 4 ? $"w{w}-{i / 2}" : $"w{w}-{i}";
                var value = $"{id}@{i}";
                var acknowledged = false;
                try
                {
                    using var response = await cluster.SendAsync(HttpMethod.Put, survivors[w % survivors.Count], $"/{Index}/_doc/{id}", $$"""{"n":"{{id}}","w":"{{value}}"}""");
                    acknowledged = response.IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    // Not acknowledged: not promised (but it may have been applied).
                }

                attempts.GetOrAdd(id, _ => []).Add((value, acknowledged));
                if (acknowledged)
                {
                    Interlocked.Increment(ref acknowledgedCount);
                }
            }
        })).ToList();

        await Until(() => Task.FromResult(Volatile.Read(ref acknowledgedCount) >= 400), "the writers to get going");
        await cluster.KillAsync(victim);
        try
        {
            await cluster.HealthAsync(survivors[0], "wait_for_nodes=2&wait_for_status=yellow");
        }
        catch (HttpRequestException)
        {
            // The survivors did not settle on two nodes: what each node did is the evidence.
            await cluster.KeepLogsAsync("resync-test");
            throw;
        }

        await Until(async () => (await cluster.ShardsAsync(survivors[0])).Count(s => s.Primary && s.State == "STARTED") == 3, "every lost primary to be replaced");
        var before = Volatile.Read(ref acknowledgedCount);
        await Until(() => Task.FromResult(Volatile.Read(ref acknowledgedCount) >= before + 400), "writes to go on after the promotions");
        await stop.CancelAsync();
        await Task.WhenAll(writers);

        await cluster.RequireAsync(HttpMethod.Post, survivors[0], $"/{Index}/_refresh");
        var copies = new Dictionary<string, Dictionary<string, string>>();
        foreach (var node in survivors)
        {
            copies[node] = await LocalDocumentsAsync(cluster, node);
        }

        var (first, second) = (copies[survivors[0]], copies[survivors[1]]);
        first.Where(d => !second.TryGetValue(d.Key, out var w) || w != d.Value).Select(d => $"{d.Key}={d.Value}").Should().BeEmpty($"{survivors[0]}'s copies hold nothing {survivors[1]}'s lack");
        second.Where(d => !first.TryGetValue(d.Key, out var w) || w != d.Value).Select(d => $"{d.Key}={d.Value}").Should().BeEmpty($"{survivors[1]}'s copies hold nothing {survivors[0]}'s lack");
        foreach (var node in survivors)
        {
            // The last acknowledged value of an id, or one written after it (a write that failed may still have been applied).
            var lost = attempts.Where(a => a.Value.Any(t => t.Acknowledged))
                .Where(a => !copies[node].TryGetValue(a.Key, out var held) || !a.Value.Skip(a.Value.FindLastIndex(t => t.Acknowledged)).Any(t => t.Value == held))
                .Select(a => a.Key);
            lost.Should().BeEmpty($"every acknowledged write is on {node}'s copies in its last acknowledged version or a later one");
        }
    }

    /// <summary>Every document of the node's own copies (it holds one of each shard): id → the value it was last written with.</summary>
    private static async Task<Dictionary<string, string>> LocalDocumentsAsync(ContainerCluster cluster, string node)
    {
        var documents = new Dictionary<string, string>(StringComparer.Ordinal);
        string? after = null;
        while (true)
        {
            var body = after is null
                ? """{"size":5000,"sort":[{"n":"asc"}]}"""
                : JsonSerializer.Serialize(new { size = 5000, sort = new[] { new { n = "asc" } }, search_after = new[] { after } });
            var page = await cluster.RequireAsync(HttpMethod.Post, node, $"/{Index}/_search?preference=_only_local", body);
            page.GetProperty("_shards").GetProperty("failed").GetInt32().Should().Be(0, $"{node} holds a copy of every shard");
            var hits = page.GetProperty("hits").GetProperty("hits").EnumerateArray().ToList();
            if (hits.Count == 0)
            {
                return documents;
            }

            foreach (var hit in hits)
            {
                documents[hit.GetProperty("_id").GetString()!] = hit.GetProperty("_source").GetProperty("w").GetString()!;
            }

            after = hits[^1].GetProperty("_source").GetProperty("n").GetString();
        }
    }

    private static Task Until(Func<Task<bool>> condition, string what) =>
        Cloud.Testing.Eventually.AssertAsync(condition, TimeSpan.FromSeconds(90), what, TimeSpan.FromMilliseconds(250));
}
