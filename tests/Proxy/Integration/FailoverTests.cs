using Cloud.Testing;
using FluentAssertions;
using Xunit;

namespace Cloud.Proxy.Tests.Integration;

[Collection(ProxyIntegrationCollection.Name)]
[Trait("Category", "Integration")]
public sealed class FailoverTests(ProxyFixture fixture)
{
    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task BackendKilledMidTraffic_NoFailedGet_AndProbeBringsItBack()
    {
        await using var a = await BackendStub.StartAsync("node-a");
        await using var b = await BackendStub.StartAsync("node-b");
        var clusterId = $"f{Guid.NewGuid():N}"[..12];
        await fixture.Writer.WriteInstanceAsync(ClusterWriter.Instance(clusterId, "instance-a", a, ProxyFixture.AllocatorId));
        await fixture.Writer.WriteInstanceAsync(ClusterWriter.Instance(clusterId, "instance-b", b, ProxyFixture.AllocatorId));
        var proxy = fixture.Proxy;
        await Eventually.AssertAsync(() => Task.FromResult(proxy.Routes.TryGet(clusterId, out var r) && r.All.Length == 2), Converge, "both instances routable");

        await using var traffic = new TrafficLoop(proxy, clusterId);
        await Eventually.AssertAsync(() => Task.FromResult(traffic.ByInstance.GetValueOrDefault("instance-a") > 20 && traffic.ByInstance.GetValueOrDefault("instance-b") > 20), Converge, "traffic on both instances");

        // The allocator has not noticed yet: its status node still says running and reachable.
        await a.KillAsync();
        var servedByBAfterKill = traffic.ByInstance.GetValueOrDefault("instance-b");
        await Eventually.AssertAsync(() => Task.FromResult(traffic.ByInstance.GetValueOrDefault("instance-b") > servedByBAfterKill + 200), Converge, "200 more requests served by the surviving instance");
        var servedByA = traffic.ByInstance.GetValueOrDefault("instance-a");

        await a.StartAgainAsync();
        await Eventually.AssertAsync(() => Task.FromResult(traffic.ByInstance.GetValueOrDefault("instance-a") > servedByA), Converge, "the prober to bring instance-a back");
        await traffic.StopAsync();

        traffic.Failures.Should().BeEmpty("a GET that fails on a killed instance is retried on the other one");
        traffic.Succeeded.Should().BeGreaterThan(200);
    }

    [Fact]
    public async Task ReadOnlyPostWithBody_RetriedOnAnotherInstance()
    {
        await using var a = await BackendStub.StartAsync("node-a");
        await using var b = await BackendStub.StartAsync("node-b");
        var clusterId = $"r{Guid.NewGuid():N}"[..12];
        await fixture.Writer.WriteInstanceAsync(ClusterWriter.Instance(clusterId, "instance-a", a, ProxyFixture.AllocatorId));
        await fixture.Writer.WriteInstanceAsync(ClusterWriter.Instance(clusterId, "instance-b", b, ProxyFixture.AllocatorId));
        var proxy = fixture.Proxy;
        await Eventually.AssertAsync(() => Task.FromResult(proxy.Routes.TryGet(clusterId, out var r) && r.All.Length == 2), Converge, "both instances routable");
        await a.KillAsync();

        // Whichever instance each request picks first, every one is answered by node-b with the whole body.
        for (var i = 0; i < 10; i++)
        {
            using var request = proxy.Request(HttpMethod.Post, clusterId, "/idx/_search");
            request.Content = new StringContent("{\"query\":{\"term\":{\"user\":\"kimchy\"}}}", System.Text.Encoding.UTF8, "application/json");
            using var response = await proxy.Client.SendAsync(request);
            response.StatusCode.Should().Be(System.Net.HttpStatusCode.OK);
            var body = await Json.ReadAsync(response);
            body.Str("name").Should().Be("node-b");
            body.GetProperty("body_bytes").GetInt64().Should().Be(36);
        }

        var route = proxy.Routes.TryGet(clusterId, out var r2) ? r2 : null;
        route!.All.Single(d => d.InstanceName == "instance-a").State.IsHealthy.Should().BeFalse("the failed connection took it out");
    }
}
