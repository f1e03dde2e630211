using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Cloud.ElasticsearchNode.Tests.Harness;
using FluentAssertions;
using Xunit;

namespace Cloud.ElasticsearchNode.Tests.Replication;

/// <summary>
/// A network partition on the real Docker Engine: the elected master's transport is cut off from the other two
/// nodes (iptables in its network namespace; its HTTP port stays reachable). The majority elects a master and
/// keeps acknowledging writes; the lone node acknowledges none and answers master_not_discovered_exception;
/// once healed it rejoins, the cluster is green, and every write acknowledged by any node is on every node.
/// </summary>
[Trait("Category", "Integration")]
public sealed class PartitionContainerTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task MasterPartitionedFromTheOtherTwo_MajorityElectsAndWrites_LoneNodeRefuses_HealedNodeRejoinsWithNothingLost()
    {
        await using var cluster = await ContainerCluster.CreateAsync("n1", "n2", "n3");
        await cluster.StartAsync("n1", "z1");
        await cluster.StartAsync("n2", "z2");
        await cluster.StartAsync("n3", "z3");
        await cluster.FormedAsync();
        await cluster.RequireAsync(HttpMethod.Put, "n1", "/events", """{"settings":{"number_of_shards":3,"number_of_replicas":1}}""");
        await cluster.HealthAsync("n1", "wait_for_status=green&wait_for_no_relocating_shards=true");

        var lone = await MasterAsync(cluster, "n1") ?? throw new InvalidOperationException("no master after formation");
        var majority = cluster.Nodes.Where(n => n != lone).ToArray();
        var acknowledged = new ConcurrentBag<string>();
        var acknowledgedByLone = new ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();
        var writers = cluster.Nodes.Select(node => Task.Run(() => WriteUntilStoppedAsync(cluster, node, node == lone ? acknowledgedByLone : acknowledged, stop.Token))).ToList();
        await Eventually(() => Task.FromResult(acknowledged.Count >= 50 && acknowledgedByLone.Count >= 10), "every node to acknowledge writes before the partition");

        await cluster.PartitionAsync(lone);
        var partitioned = DateTimeOffset.UtcNow;

        // The majority elects one of its own and keeps writing.
        await Eventually(async () => await MasterAsync(cluster, majority[0]) is { } m && majority.Contains(m), "the majority to elect a master of its own");
        var beforeMajorityCheck = acknowledged.Count;
        await Eventually(() => Task.FromResult(acknowledged.Count >= beforeMajorityCheck + 100), "the majority to acknowledge writes while partitioned");

        // The lone node serves no write: it answers 503 master_not_discovered_exception (a probe it acknowledged is split brain).
        var probesAcknowledged = new ConcurrentBag<string>();
        await Eventually(async () =>
        {
            var id = "probe-" + Guid.NewGuid().ToString("N");
            using var attempt = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            using var response = await cluster.SendAsync(HttpMethod.Put, lone, "/events/_doc/" + id, """{"n":"probe"}""", attempt.Token);
            var text = await response.Content.ReadAsStringAsync(attempt.Token);
            if (response.IsSuccessStatusCode)
            {
                probesAcknowledged.Add(id);
            }

            return response.StatusCode == HttpStatusCode.ServiceUnavailable && text.Contains("master_not_discovered_exception", StringComparison.Ordinal);
        }, "the lone node to refuse writes with 503 master_not_discovered_exception");
        probesAcknowledged.Should().BeEmpty($"{lone} is cut off from every other node and must acknowledge nothing");
        var loneAcknowledgedWhenRefusing = acknowledgedByLone.Count;
        var majorityWhenRefusing = acknowledged.Count;
        await Eventually(() => Task.FromResult(acknowledged.Count >= majorityWhenRefusing + 50), "the majority to go on acknowledging while the lone node refuses");
        acknowledgedByLone.Count.Should().Be(loneAcknowledgedWhenRefusing, "a node without a master acknowledges no write");

        await cluster.HealAsync(lone);
        var healed = await cluster.HealthAsync(majority[0], "wait_for_nodes=3&wait_for_status=green");
        healed.GetProperty("number_of_nodes").GetInt32().Should().Be(3);
        var afterHeal = acknowledged.Count;
        await Eventually(() => Task.FromResult(acknowledged.Count >= afterHeal + 50), "writes to go on after healing");
        await stop.CancelAsync();
        await Task.WhenAll(writers);

        var all = acknowledged.Concat(acknowledgedByLone).ToList();
        foreach (var node in cluster.Nodes)
        {
            var missing = await cluster.MissingAsync("events", node, all);
            if (missing.Count > 0)
            {
                await KeepLogsAsync(cluster, lone);
            }

            missing.Should().BeEmpty($"every acknowledged write is readable through {node} (partitioned for {DateTimeOffset.UtcNow - partitioned:g})");
        }

        await cluster.RequireAsync(HttpMethod.Post, lone, "/events/_refresh");
        var count = await cluster.GetAsync(lone, "/events/_count");
        count.GetProperty("_shards").GetProperty("failed").GetInt32().Should().Be(0);
        count.GetProperty("count").GetInt64().Should().BeGreaterThanOrEqualTo(all.Count);
    }

    /// <summary>Keeps every node's whole log and the shard table beside the failure (printed path), since the containers go with the cluster.</summary>
    private static async Task KeepLogsAsync(ContainerCluster cluster, string lone)
    {
        var directory = Path.Combine(Path.GetTempPath(), "partition-test-" + DateTimeOffset.UtcNow.ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(directory);
        foreach (var node in cluster.Nodes)
        {
            await File.WriteAllTextAsync(Path.Combine(directory, node + ".log"), await cluster.LogsAsync(node, 100_000));
            using var shards = await cluster.SendAsync(HttpMethod.Get, node, "/_cat/shards?v");
            await File.WriteAllTextAsync(Path.Combine(directory, node + ".shards"), await shards.Content.ReadAsStringAsync());
        }

        Console.Error.WriteLine($"partition test failed (lone node {lone}): node logs and shard tables kept in {directory}");
    }

    private static async Task WriteUntilStoppedAsync(ContainerCluster cluster, string node, ConcurrentBag<string> acknowledged, CancellationToken stop)
    {
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var id = $"{node}-{i}";
            try
            {
                using var response = await cluster.SendAsync(HttpMethod.Put, node, $"/events/_doc/{id}", $$"""{"n":"{{id}}"}""", stop);
                if (response.IsSuccessStatusCode)
                {
                    acknowledged.Add(id);
                }
                else
                {
                    // Refused (no master, or waiting for a primary timed out): not acknowledged; do not spin.
                    await Task.Delay(TimeSpan.FromMilliseconds(100), stop);
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
            {
                // Not acknowledged: not counted.
            }
        }
    }

    private static async Task<string?> MasterAsync(ContainerCluster cluster, string node)
    {
        using var response = await cluster.SendAsync(HttpMethod.Get, node, "/_cat/master?format=json");
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }

        var rows = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return rows.GetArrayLength() == 1 ? rows[0].GetProperty("node").GetString() : null;
    }

    private static Task Eventually(Func<Task<bool>> condition, string what) =>
        Cloud.Testing.Eventually.AssertAsync(condition, Deadline, what, TimeSpan.FromMilliseconds(250));
}
