using System.Diagnostics;
using Cloud.Proxy.Routing;
using Cloud.Shared.Coordination;
using Cloud.Shared.Serialization;
using Cloud.Testing;
using Cloud.ZooKeeper;
using FluentAssertions;
using Xunit;

namespace Cloud.Proxy.Tests.Integration;

/// <summary>10,000 clusters loaded; one instance changing must not rebuild or pause the others.</summary>
[Collection(ProxyIntegrationCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ScaleTests
{
    private const int Clusters = 10_000;

    [Fact]
    public async Task TenThousandClusters_OneInstanceChanged_OnlyItsRouteReplaced()
    {
        await using var server = await ZooKeeperServer.StartAsync();
        await using var client = await ProxyFixture.ConnectAsync(server.ConnectString);
        var writer = new ClusterWriter(client);
        await using var a = await BackendStub.StartAsync("node-a");
        await using var b = await BackendStub.StartAsync("node-b");
        await writer.RegisterAllocatorAsync("alloc-1");
        await WriteClustersAsync(client, a);

        await using var proxy = await ProxyHost.StartAsync(server.ConnectString);
        await Eventually.AssertAsync(() => Task.FromResult(proxy.Routes.Count == Clusters), TimeSpan.FromMinutes(2), "every cluster loaded");
        var before = Enumerable.Range(0, Clusters).ToDictionary(Id, i => proxy.Routes.TryGet(Id(i), out var r) ? r : throw new InvalidOperationException(Id(i)));
        before.Values.Should().OnlyContain(r => r.All.Length == 1);

        var changed = Id(4242);
        var stopwatch = Stopwatch.StartNew();
        await writer.WriteInstanceAsync(ClusterWriter.Instance(changed, "instance-0", b));
        await Eventually.AssertAsync(
            () => Task.FromResult(proxy.Routes.TryGet(changed, out var r) && r.All[0].State.Port == b.Port),
            TimeSpan.FromSeconds(10),
            "the changed instance applied");
        stopwatch.Stop();

        var replaced = before.Where(kv => !ReferenceEquals(proxy.Routes.TryGet(kv.Key, out var now) ? now : null, kv.Value)).Select(kv => kv.Key).ToList();
        replaced.Should().Equal([changed], "only the changed cluster's route is rebuilt");
        using var response = await proxy.GetAsync(changed);
        (await Json.ReadAsync(response)).Str("name").Should().Be("node-b");
        using var other = await proxy.GetAsync(Id(17));
        (await Json.ReadAsync(other)).Str("name").Should().Be("node-a");
        stopwatch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(2), "one change among 10,000 clusters applies quickly (the benchmark measures the p99)");
    }

    private static string Id(int i) => $"scale{i:D5}";

    private static async Task WriteClustersAsync(ZooKeeperClient client, BackendStub backend)
    {
        await client.CreateRecursiveAsync(CloudPaths.Instances);
        foreach (var batch in Enumerable.Range(0, Clusters).Chunk(500))
        {
            var ops = batch.SelectMany(i => new[]
            {
                Op.Create(CloudPaths.InstancesOf(Id(i)), []),
                Op.Create(CloudPaths.Instance(Id(i), "instance-0"), CloudJson.Serialize(ClusterWriter.Instance(Id(i), "instance-0", backend))),
            }).ToList();
            await client.MultiAsync(ops);
        }
    }
}
