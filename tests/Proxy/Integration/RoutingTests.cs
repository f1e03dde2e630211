using System.Net;
using System.Text.Json;
using Cloud.Proxy.Forwarding;
using Cloud.Shared.Coordination;
using Cloud.Shared.Routing;
using Cloud.Testing;
using FluentAssertions;
using Xunit;

namespace Cloud.Proxy.Tests.Integration;

[Collection(ProxyIntegrationCollection.Name)]
[Trait("Category", "Integration")]
public sealed class RoutingTests(ProxyFixture fixture)
{
    private static readonly TimeSpan Applied = TimeSpan.FromSeconds(10);

    private ProxyHost Proxy => fixture.Proxy;

    private static string NewClusterId() => $"c{Guid.NewGuid():N}"[..12];

    private async Task<string> ClusterAsync(params BackendStub[] backends)
    {
        var clusterId = NewClusterId();
        for (var i = 0; i < backends.Length; i++)
        {
            await fixture.Writer.WriteInstanceAsync(ClusterWriter.Instance(clusterId, $"instance-{i}", backends[i], ProxyFixture.AllocatorId));
        }

        await WaitRoutableAsync(clusterId, backends.Length);
        return clusterId;
    }

    private Task WaitRoutableAsync(string clusterId, int count) => Eventually.AssertAsync(
        () => Task.FromResult(Proxy.Routes.TryGet(clusterId, out var route) && route.All.Length == count),
        Applied,
        $"{count} routable instances of {clusterId}");

    private static async Task AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string type, string reasonPart)
    {
        response.StatusCode.Should().Be(status);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        var body = await Json.ReadAsync(response);
        body.GetProperty("status").GetInt32().Should().Be((int)status);
        var error = body.GetProperty("error");
        error.Str("type").Should().Be(type);
        error.Str("reason").Should().Contain(reasonPart);
        error.GetProperty("root_cause")[0].Str("type").Should().Be(type);
        error.GetProperty("root_cause")[0].Str("reason").Should().Be(error.Str("reason"));
    }

    [Fact]
    public async Task Request_ByHostName_ReachesClusterAndNamesHandler()
    {
        await using var backend = await BackendStub.StartAsync("node-a");
        var clusterId = await ClusterAsync(backend);

        using var response = await Proxy.GetAsync(clusterId, "/_cluster/health?pretty");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Headers.GetValues(ProxyRequestHandler.HandlingCluster).Should().Equal(clusterId);
        response.Headers.GetValues(ProxyRequestHandler.HandlingInstance).Should().Equal("instance-0");
        response.Headers.GetValues("X-Elastic-Product").Should().Equal("Elasticsearch");
        var body = await Json.ReadAsync(response);
        body.Str("name").Should().Be("node-a");
        body.Str("path").Should().Be("/_cluster/health");
    }

    [Fact]
    public async Task Request_ByHeader_ReachesCluster()
    {
        await using var backend = await BackendStub.StartAsync("node-b");
        var clusterId = await ClusterAsync(backend);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add("X-Found-Cluster", clusterId);

        using var response = await Proxy.Client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await Json.ReadAsync(response)).Str("name").Should().Be("node-b");
        response.Headers.GetValues(ProxyRequestHandler.HandlingCluster).Should().Equal(clusterId);
    }

    [Fact]
    public async Task Request_UnknownCluster_404InElasticsearchShape()
    {
        using var response = await Proxy.GetAsync("nosuchcluster");

        await AssertErrorAsync(response, HttpStatusCode.NotFound, ElasticsearchErrors.UnknownCluster, "no such cluster [nosuchcluster]");
    }

    [Fact]
    public async Task Request_NoClusterNamed_404SaysHow()
    {
        using var response = await Proxy.Client.GetAsync("/");

        await AssertErrorAsync(response, HttpStatusCode.NotFound, ElasticsearchErrors.NoCluster, "X-Found-Cluster");
    }

    [Fact]
    public async Task Request_NothingRoutable_503WithReason()
    {
        await using var backend = await BackendStub.StartAsync("node-c");
        var clusterId = NewClusterId();
        await fixture.Writer.WriteInstanceAsync(ClusterWriter.Instance(clusterId, "instance-0", backend, ProxyFixture.AllocatorId, reachable: false));
        await Eventually.AssertAsync(() => Task.FromResult(Proxy.Routes.TryGet(clusterId, out _)), Applied, "the cluster to be known");

        using var response = await Proxy.GetAsync(clusterId);

        await AssertErrorAsync(response, HttpStatusCode.ServiceUnavailable, ElasticsearchErrors.Unavailable, "no routable instance");
        backend.Requests.Should().Be(0);
    }

    [Fact]
    public async Task RoutingNode_NarrowsAndMaintenanceGetsNoTraffic()
    {
        await using var a = await BackendStub.StartAsync("node-a");
        await using var b = await BackendStub.StartAsync("node-b");
        var clusterId = await ClusterAsync(a, b);

        await fixture.Writer.WriteRoutingAsync(new RoutingTable { ClusterId = clusterId, Instances = ["instance-0", "instance-1"], Maintenance = ["instance-0"] });
        await WaitRoutableAsync(clusterId, 1);

        for (var i = 0; i < 20; i++)
        {
            using var response = await Proxy.GetAsync(clusterId);
            (await Json.ReadAsync(response)).Str("name").Should().Be("node-b");
        }

        a.Requests.Should().Be(0);
    }

    [Fact]
    public async Task TrafficFilter_RefusesOutsideAllowList_403_AndAdmitsForwardedClientFromTrustedProxy()
    {
        await using var backend = await BackendStub.StartAsync("node-f");
        var clusterId = await ClusterAsync(backend);
        await fixture.Writer.WriteRoutingAsync(new RoutingTable { ClusterId = clusterId, Instances = ["instance-0"], AllowedSources = ["10.0.0.0/8"] });
        await Eventually.AssertAsync(() => Task.FromResult(Proxy.Routes.TryGet(clusterId, out var r) && r.AllowedSources is not null), Applied, "the filter to apply");

        using (var refused = await Proxy.GetAsync(clusterId))
        {
            await AssertErrorAsync(refused, HttpStatusCode.Forbidden, ElasticsearchErrors.Forbidden, "[127.0.0.1] is not allowed by the traffic filter");
        }

        // The test client connects from 127.0.0.1, configured as a trusted proxy: its X-Forwarded-For counts.
        using var forwarded = Proxy.Request(HttpMethod.Get, clusterId, "/");
        forwarded.Headers.Add("X-Forwarded-For", "10.1.2.3");
        using (var admitted = await Proxy.Client.SendAsync(forwarded))
        {
            admitted.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        using var outsider = Proxy.Request(HttpMethod.Get, clusterId, "/");
        outsider.Headers.Add("X-Forwarded-For", "192.168.0.1");
        using (var refusedForwarded = await Proxy.Client.SendAsync(outsider))
        {
            await AssertErrorAsync(refusedForwarded, HttpStatusCode.Forbidden, ElasticsearchErrors.Forbidden, "[192.168.0.1]");
        }

        backend.Requests.Should().Be(1);
    }

    [Fact]
    public async Task Forwarding_PassesHeadersAndMediaTypes_DropsHopByHop()
    {
        await using var backend = await BackendStub.StartAsync("node-h");
        var clusterId = await ClusterAsync(backend);
        using var request = Proxy.Request(HttpMethod.Post, clusterId, "/idx/_search");
        request.Headers.Add("X-Opaque-Id", "trace-1");
        request.Headers.Add("X-Secret-Hop", "must-not-pass");
        request.Headers.Connection.Add("X-Secret-Hop");
        request.Headers.Add("Proxy-Authorization", "Basic x");
        request.Content = new StringContent("{\"query\":{\"match_all\":{}}}", System.Text.Encoding.UTF8, "application/vnd.elasticsearch+json");
        request.Content.Headers.ContentType!.Parameters.Add(new System.Net.Http.Headers.NameValueHeaderValue("compatible-with", "8"));

        using var response = await Proxy.Client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var headers = backend.ReceivedHeaders.Last();
        headers["X-Opaque-Id"].Should().Be("trace-1");
        headers["Content-Type"].Should().Contain("application/vnd.elasticsearch+json").And.Contain("compatible-with=8");
        headers.Should().NotContainKey("X-Secret-Hop");
        headers.Should().NotContainKey("Proxy-Authorization");
        headers.Should().NotContainKey("Connection");
        (await Json.ReadAsync(response)).GetProperty("body_bytes").GetInt64().Should().Be(26);
    }

    [Fact]
    public async Task Bulk_100MB_StreamsToTheBackendWhileTheClientIsStillSending()
    {
        await using var backend = await BackendStub.StartAsync("node-bulk");
        var clusterId = await ClusterAsync(backend);
        const long size = 100L * 1024 * 1024;
        using var request = Proxy.Request(HttpMethod.Post, clusterId, "/_bulk");
        request.Content = new StreamContent(new GatedStream(size, firstPart: 4 * 1024 * 1024, backend.BulkStarted.Task));
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-ndjson");

        using var response = await Proxy.Client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.OK, "the backend saw the first bytes before the client sent the rest: nothing buffered the body");
        (await Json.ReadAsync(response)).GetProperty("body_bytes").GetInt64().Should().Be(size);
    }

    [Fact]
    public async Task Request_HeadersTooLarge_431()
    {
        await using var backend = await BackendStub.StartAsync("node-big");
        var clusterId = await ClusterAsync(backend);
        using var request = Proxy.Request(HttpMethod.Get, clusterId, "/");
        request.Headers.Add("X-Big", new string('x', 40 * 1024));

        using var response = await Proxy.Client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.RequestHeaderFieldsTooLarge);
        backend.Requests.Should().Be(0);
    }

    [Fact]
    public async Task Health_AnsweredByTheProxy_AndLivenessNodeRegistered()
    {
        using var response = await Proxy.Admin.GetAsync("/_health");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await Json.ReadAsync(response)).Str("status").Should().Be("ok");
        var node = await Eventually.GetAsync(
            async () => await fixture.Client.ExistsAsync(CloudPaths.Proxy(Proxy.ProxyId)),
            Applied,
            "the proxy's liveness node");
        node!.EphemeralOwner.Should().NotBe(0);
        var data = await fixture.Client.GetDataAsync(CloudPaths.Proxy(Proxy.ProxyId));
        JsonDocument.Parse(data.Data).RootElement.Str("proxy_id").Should().Be(Proxy.ProxyId);
    }
}
