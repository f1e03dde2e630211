using System.Net;
using System.Text.Json;
using Cloud.Proxy.FastPath;
using Cloud.Testing;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Cloud.Proxy.Tests.Integration;

/// <summary>
/// The fast path's own cases (FastPath/ in the proxy), on the real proxy host with real instances: each test also
/// asserts through <see cref="FastPathCounters"/> which path served it, so it fails with the fast path off.
/// </summary>
[Collection(ProxyIntegrationCollection.Name)]
[Trait("Category", "Integration")]
public sealed partial class FastPathTests(ProxyFixture fixture)
{
    private static readonly TimeSpan Applied = TimeSpan.FromSeconds(10);

    private ProxyHost Proxy => fixture.Proxy;

    private FastPathCounters Counters => Proxy.Services.GetRequiredService<FastPathCounters>();

    private static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;

    private async Task<string> ClusterAsync(params int[] ports)
    {
        var clusterId = $"p{Guid.NewGuid():N}"[..12];
        for (var i = 0; i < ports.Length; i++)
        {
            await fixture.Writer.WriteInstanceAsync(ClusterWriter.Instance(clusterId, $"instance-{i}", ports[i], ProxyFixture.AllocatorId));
        }

        await Eventually.AssertAsync(
            () => Task.FromResult(Proxy.Routes.TryGet(clusterId, out var route) && route.All.Length == ports.Length),
            Applied,
            $"{ports.Length} routable instances of {clusterId}");
        return clusterId;
    }

    private static RawReply Answer(string body, string extraHeaders = "") =>
        new($"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {body.Length}\r\n{extraHeaders}\r\n{body}");

    [Fact]
    public async Task ChunkedRequestBody_ReachesTheInstanceWhole()
    {
        await using var backend = await BackendStub.StartAsync("node-chunked");
        var clusterId = await ClusterAsync(backend.Port);
        var before = Counters.Forwarded;
        await using var client = await RawClient.ConnectAsync(Proxy.Port);

        await client.SendAsync($"POST /idx/_bulk HTTP/1.1\r\nHost: {clusterId}.localhost\r\nContent-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nX-Trailer: 1\r\n\r\n");
        var (head, body) = await client.Reader.ReadResponseAsync(Timeout);

        head.Should().StartWith("HTTP/1.1 200 ");
        RawReader.Header(head, "X-Found-Handling-Cluster").Should().Be(clusterId);
        RawReader.Header(head, "X-Found-Handling-Instance").Should().Be("instance-0");
        var json = JsonDocument.Parse(body).RootElement;
        json.Str("name").Should().Be("node-chunked");
        json.GetProperty("body_bytes").GetInt64().Should().Be(12);
        Counters.Forwarded.Should().Be(before + 1, "the fast path forwarded it");
    }

    [Fact]
    public async Task ChunkedResponseWithExtensionsAndTrailers_RelayedWhole_AndTheConnectionsStayAlive()
    {
        await using var backend = new RawBackend(_ => new RawReply(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Checksum: 1\r\n\r\n"));
        var clusterId = await ClusterAsync(backend.Port);
        var before = Counters.Forwarded;
        await using var client = await RawClient.ConnectAsync(Proxy.Port);

        for (var i = 0; i < 3; i++)
        {
            await client.SendAsync($"GET /_doc/{i} HTTP/1.1\r\nHost: {clusterId}.localhost\r\n\r\n");
            var (head, body) = await client.Reader.ReadResponseAsync(Timeout);
            head.Should().StartWith("HTTP/1.1 200 ");
            body.Should().Be("hello world");
        }

        backend.Connections.Should().Be(1, "the chunked body's end was found, so the instance connection went back to the pool");
        Counters.Forwarded.Should().Be(before + 3);
    }

    [Fact]
    public async Task PipelinedRequests_OnOneClientConnection_AnsweredInOrder()
    {
        await using var backend = new RawBackend(head =>
        {
            var path = head.Split(' ')[1];
            return head.StartsWith("HEAD ", StringComparison.Ordinal)
                ? new RawReply($"HTTP/1.1 200 OK\r\nContent-Length: {path.Length}\r\n\r\n")
                : Answer(path);
        });
        var clusterId = await ClusterAsync(backend.Port);
        var before = Counters.Forwarded;
        await using var client = await RawClient.ConnectAsync(Proxy.Port);

        // All five in one write: the proxy must answer them one after the other, HEAD's without a body.
        await client.SendAsync(string.Concat(Enumerable.Range(0, 5).Select(i =>
            $"{(i == 2 ? "HEAD" : "GET")} /p{i} HTTP/1.1\r\nHost: {clusterId}.localhost\r\nX-Found-Cluster: {clusterId}\r\n\r\n")));

        for (var i = 0; i < 5; i++)
        {
            var (head, body) = await client.Reader.ReadResponseAsync(Timeout, headRequest: i == 2);
            head.Should().StartWith("HTTP/1.1 200 ");
            RawReader.Header(head, "Content-Length").Should().Be("3");
            body.Should().Be(i == 2 ? string.Empty : $"/p{i}");
        }

        Counters.Forwarded.Should().Be(before + 5);
    }

    [Fact]
    public async Task HopByHopHeaders_DroppedBothWays_EverythingElsePasses()
    {
        await using var backend = new RawBackend(_ => Answer(
            "ok",
            "Connection: keep-alive, X-Hop-Back\r\nX-Hop-Back: secret\r\nKeep-Alive: timeout=5\r\nProxy-Connection: keep-alive\r\nX-Elastic-Product: Elasticsearch\r\n"));
        var clusterId = await ClusterAsync(backend.Port);
        var before = Counters.Forwarded;
        await using var client = await RawClient.ConnectAsync(Proxy.Port);

        await client.SendAsync($"GET /idx/_search HTTP/1.1\r\nHost: {clusterId}.localhost:9200\r\nConnection: keep-alive, X-Hop\r\nX-Hop: secret\r\n"
            + "Keep-Alive: 300\r\nProxy-Connection: keep-alive\r\nProxy-Authorization: Basic x\r\nTE: trailers\r\nX-Opaque-Id: trace-1\r\n"
            + "Accept: application/vnd.elasticsearch+json; compatible-with=8\r\n\r\n");
        var (head, body) = await client.Reader.ReadResponseAsync(Timeout);

        body.Should().Be("ok");
        var sent = backend.Heads.Single();
        foreach (var hop in new[] { "Connection", "X-Hop", "Keep-Alive", "Proxy-Connection", "Proxy-Authorization", "TE" })
        {
            RawReader.Header(sent, hop).Should().BeNull($"{hop} is hop-by-hop");
        }

        RawReader.Header(sent, "X-Opaque-Id").Should().Be("trace-1");
        RawReader.Header(sent, "Accept").Should().Be("application/vnd.elasticsearch+json; compatible-with=8");
        RawReader.Header(sent, "Host").Should().Be($"127.0.0.1:{backend.Port}", "the instance gets its own address as Host, as through YARP");
        foreach (var hop in new[] { "Connection", "X-Hop-Back", "Keep-Alive", "Proxy-Connection" })
        {
            RawReader.Header(head, hop).Should().BeNull($"{hop} is hop-by-hop");
        }

        RawReader.Header(head, "X-Elastic-Product").Should().Be("Elasticsearch");
        RawReader.Header(head, "X-Found-Handling-Cluster").Should().Be(clusterId);
        Counters.Forwarded.Should().Be(before + 1);
    }

    [Fact]
    public async Task InstanceClosingKeptAliveConnections_BetweenRequests_NoRequestFails()
    {
        // Every connection is closed right after its response, without a word: the next request either sees the close
        // before it reuses the connection or, racing it, is sent again on a new one.
        await using var backend = new RawBackend(_ => Answer("ok") with { Close = true });
        var clusterId = await ClusterAsync(backend.Port);
        var before = Counters.Forwarded;

        for (var i = 0; i < 50; i++)
        {
            using var response = await Proxy.GetAsync(clusterId, $"/_doc/{i}");
            response.StatusCode.Should().Be(HttpStatusCode.OK, $"request {i}");
            (await response.Content.ReadAsStringAsync()).Should().Be("ok");
        }

        backend.Connections.Should().BeGreaterThanOrEqualTo(50);
        Proxy.Routes.TryGet(clusterId, out var route).Should().BeTrue();
        route!.All[0].State.IsHealthy.Should().BeTrue("an instance closing idle connections has not failed");
        Counters.Forwarded.Should().Be(before + 50);
    }

    [Fact]
    public async Task CloseDelimitedResponse_RelayedWhole_AndTheClientToldTheConnectionCloses()
    {
        await using var backend = new RawBackend(_ => new RawReply("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end", Close: true));
        var clusterId = await ClusterAsync(backend.Port);
        await using var client = await RawClient.ConnectAsync(Proxy.Port);

        await client.SendAsync($"GET / HTTP/1.1\r\nHost: {clusterId}.localhost\r\n\r\n");
        var head = await client.Reader.ReadHeadAsync(Timeout);

        RawReader.Header(head!, "Connection").Should().Be("close");
        var rest = new List<byte>();
        while (!await client.Reader.EndsWithinAsync(TimeSpan.FromSeconds(10)))
        {
            rest.AddRange(await client.Reader.ReadBytesAsync(1, Timeout));
        }

        System.Text.Encoding.ASCII.GetString([.. rest]).Should().Be("until the end");
    }

    [Fact]
    public async Task LargeBodies_StreamBothWays_WithoutBeingBuffered()
    {
        await using var backend = await BackendStub.StartAsync("node-large");
        var clusterId = await ClusterAsync(backend.Port);
        var before = Counters.Forwarded;
        const long size = 64L * 1024 * 1024;
        using var request = Proxy.Request(HttpMethod.Put, clusterId, "/idx/_bulk");
        request.Content = new StreamContent(new GatedStream(size, firstPart: 4 * 1024 * 1024, backend.BulkStarted.Task));

        using var response = await Proxy.Client.SendAsync(request);

        response.StatusCode.Should().Be(HttpStatusCode.OK, "the instance saw the first bytes before the client sent the rest: nothing buffered the body");
        (await Json.ReadAsync(response)).GetProperty("body_bytes").GetInt64().Should().Be(size);
        Counters.Forwarded.Should().Be(before + 1);
    }

    [Fact]
    public async Task InstanceKilledMidTraffic_NoFailedGet_AllOnTheFastPath()
    {
        await using var a = await BackendStub.StartAsync("node-a");
        await using var b = await BackendStub.StartAsync("node-b");
        var clusterId = await ClusterAsync(a.Port, b.Port);
        var forwardedBefore = Counters.Forwarded;
        var handedOffBefore = Counters.HandedOff;

        await using var traffic = new TrafficLoop(Proxy, clusterId, concurrency: 8);
        await Eventually.AssertAsync(() => Task.FromResult(traffic.ByInstance.GetValueOrDefault("instance-0") > 50 && traffic.ByInstance.GetValueOrDefault("instance-1") > 50), Applied, "traffic on both instances");
        await a.KillAsync();
        var servedByB = traffic.ByInstance.GetValueOrDefault("instance-1");
        await Eventually.AssertAsync(() => Task.FromResult(traffic.ByInstance.GetValueOrDefault("instance-1") > servedByB + 300), Applied, "300 more requests served by the surviving instance");
        await traffic.StopAsync();

        traffic.Failures.Should().BeEmpty("a GET that fails on a killed instance is sent again to the other one");
        Counters.Forwarded.Should().BeGreaterThanOrEqualTo(forwardedBefore + traffic.Succeeded, "every request went through the fast path");
        Counters.HandedOff.Should().Be(handedOffBefore);
        Proxy.Routes.TryGet(clusterId, out var route).Should().BeTrue();
        route!.All.Single(d => d.InstanceName == "instance-0").State.IsHealthy.Should().BeFalse("the refused connection took it out");
    }

    [Fact]
    public async Task UpgradeRequest_GoesToYarp_AfterFastPathRequestsOnTheSameConnection()
    {
        await using var backend = await BackendStub.StartAsync("node-up");
        var clusterId = await ClusterAsync(backend.Port);
        var forwardedBefore = Counters.Forwarded;
        var handedOffBefore = Counters.HandedOff;
        await using var client = await RawClient.ConnectAsync(Proxy.Port);

        await client.SendAsync($"GET /first HTTP/1.1\r\nHost: {clusterId}.localhost\r\n\r\n");
        var (firstHead, _) = await client.Reader.ReadResponseAsync(Timeout);
        await client.SendAsync($"GET /ws HTTP/1.1\r\nHost: {clusterId}.localhost\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
            + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");
        var (head, body) = await client.Reader.ReadResponseAsync(Timeout);

        firstHead.Should().StartWith("HTTP/1.1 200 ");
        head.Should().StartWith("HTTP/1.1 200 ", "the instance declined the upgrade and YARP relayed its answer");
        RawReader.Header(head, "X-Found-Handling-Cluster").Should().Be(clusterId);
        JsonDocument.Parse(body).RootElement.Str("path").Should().Be("/ws");
        Counters.Forwarded.Should().Be(forwardedBefore + 1, "only the first request was the fast path's");
        Counters.HandedOff.Should().Be(handedOffBefore + 1);
    }

    [Fact]
    public async Task Refusals_AnsweredOnTheFastPath_InElasticsearchShape_AndTheConnectionKept()
    {
        await using var backend = await BackendStub.StartAsync("node-r");
        var clusterId = await ClusterAsync(backend.Port);
        var forwardedBefore = Counters.Forwarded;
        var handedOffBefore = Counters.HandedOff;
        await using var client = await RawClient.ConnectAsync(Proxy.Port);

        await client.SendAsync("GET / HTTP/1.1\r\nHost: nosuchcluster.localhost\r\n\r\nHEAD / HTTP/1.1\r\nHost: localhost\r\n\r\n"
            + $"GET / HTTP/1.1\r\nHost: {clusterId}.localhost\r\n\r\n");
        var (notFound, notFoundBody) = await client.Reader.ReadResponseAsync(Timeout);
        var (noCluster, _) = await client.Reader.ReadResponseAsync(Timeout, headRequest: true);
        var (_, forwarded) = await client.Reader.ReadResponseAsync(Timeout);

        notFound.Should().StartWith("HTTP/1.1 404 ");
        RawReader.Header(notFound, "Content-Type").Should().Be("application/json; charset=UTF-8");
        var error = JsonDocument.Parse(notFoundBody).RootElement;
        error.GetProperty("status").GetInt32().Should().Be(404);
        error.GetProperty("error").Str("type").Should().Be("cluster_not_found_exception");
        error.GetProperty("error").Str("reason").Should().Be("no such cluster [nosuchcluster]");
        error.GetProperty("error").GetProperty("root_cause")[0].Str("type").Should().Be("cluster_not_found_exception");
        noCluster.Should().StartWith("HTTP/1.1 404 ");
        JsonDocument.Parse(forwarded).RootElement.Str("name").Should().Be("node-r");
        Counters.Forwarded.Should().Be(forwardedBefore + 3);
        Counters.HandedOff.Should().Be(handedOffBefore);
    }

    [Fact]
    public async Task RepeatedClusterHeader_SameClusterForwarded_DifferentOnes400_OnTheFastPath()
    {
        await using var backend = await BackendStub.StartAsync("node-npm");
        var clusterId = await ClusterAsync(backend.Port);
        var forwardedBefore = Counters.Forwarded;
        var handedOffBefore = Counters.HandedOff;
        await using var client = await RawClient.ConnectAsync(Proxy.Port);

        // As npm's @elastic/elasticsearch 9 sends a header given to its constructor: as written and lower-cased.
        await client.SendAsync($"GET / HTTP/1.1\r\nHost: localhost:9200\r\nX-Found-Cluster: {clusterId}\r\nx-found-cluster: {clusterId}\r\n\r\n"
            + $"GET / HTTP/1.1\r\nHost: localhost:9200\r\nX-Found-Cluster: {clusterId}\r\nX-Found-Cluster: other\r\n\r\n");
        var (_, same) = await client.Reader.ReadResponseAsync(Timeout);
        var (conflicting, error) = await client.Reader.ReadResponseAsync(Timeout);

        JsonDocument.Parse(same).RootElement.Str("name").Should().Be("node-npm");
        conflicting.Should().StartWith("HTTP/1.1 400 ");
        JsonDocument.Parse(error).RootElement.GetProperty("error").Str("reason").Should().Be($"header [X-Found-Cluster] names more than one cluster [{clusterId},other]");
        Counters.Forwarded.Should().Be(forwardedBefore + 2);
        Counters.HandedOff.Should().Be(handedOffBefore);
    }

    [Fact]
    public async Task IdleKeptAliveClientConnection_ClosedAfterKestrelsKeepAliveTimeout()
    {
        await using var backend = new RawBackend(_ => Answer("ok"));
        var clusterId = await ClusterAsync(backend.Port);
        var reaper = Proxy.Services.GetRequiredService<IdleConnectionReaper>();
        await using var client = await RawClient.ConnectAsync(Proxy.Port);
        var request = $"GET / HTTP/1.1\r\nHost: {clusterId}.localhost\r\n\r\n";
        await client.SendAsync(request);
        (await client.Reader.ReadResponseAsync(Timeout)).Body.Should().Be("ok");

        reaper.Sweep(Environment.TickCount64 + (long)TimeSpan.FromSeconds(60).TotalMilliseconds);
        await client.SendAsync(request);
        (await client.Reader.ReadResponseAsync(Timeout)).Body.Should().Be("ok", "a minute idle is within Kestrel's 130 s");

        reaper.Sweep(Environment.TickCount64 + (long)TimeSpan.FromSeconds(131).TotalMilliseconds);
        (await client.Reader.EndsWithinAsync(TimeSpan.FromSeconds(10))).Should().BeTrue("past the keep-alive timeout the proxy closes it");
    }

    [Fact]
    public async Task ProxyHealth_OnAFastPathConnection_AnsweredByTheProxyItself()
    {
        await using var backend = await BackendStub.StartAsync("node-h");
        var clusterId = await ClusterAsync(backend.Port);
        await using var client = await RawClient.ConnectAsync(Proxy.Port);

        await client.SendAsync($"GET / HTTP/1.1\r\nHost: {clusterId}.localhost\r\n\r\nGET /_health HTTP/1.1\r\nHost: {clusterId}.localhost\r\n\r\n");
        var (_, first) = await client.Reader.ReadResponseAsync(Timeout);
        var (_, health) = await client.Reader.ReadResponseAsync(Timeout);

        JsonDocument.Parse(first).RootElement.Str("name").Should().Be("node-h");
        JsonDocument.Parse(health).RootElement.Str("status").Should().Be("ok");
        backend.Requests.Should().Be(1);
    }
}
