using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cloud.EndToEnd.Tests.Platform;
using Cloud.Testing;
using FluentAssertions;
using Xunit;
using Xunit.Abstractions;

namespace Cloud.EndToEnd.Tests.Product;

/// <summary>
/// The product as its users meet it (issue 19): clusters created and changed only through the REST
/// API, applications talking to them only through the proxy, on-call overrides, ZooKeeper failing
/// underneath. No internal type of the platform is used here.
/// </summary>
[Collection(PlatformCollection.Name)]
[Trait("Category", "Integration")]
[TestCaseOrderer(ScenarioOrderer.TypeName, ScenarioOrderer.AssemblyName)]
public sealed class ProductScenarioTests(PlatformFixture fixture, ITestOutputHelper output) : ScenarioBase(fixture, output)
{
    [Fact]
    [Scenario(Order = 2)]
    public async Task InvalidPlans_AreRefusedWithFieldErrors_AndCreateNothing()
    {
        var before = (await Api.ListClustersAsync()).Text;
        var noVersion = Plans.ThreeZones();
        noVersion["elasticsearch"]!.AsObject().Remove("version");
        var tooManyZones = Plans.ThreeZones();
        tooManyZones["cluster_topology"]![0]!["zone_count"] = 4;
        var tooBig = Plans.ThreeZones(memoryPerNode: 1024 * 1024);
        var unknownVersion = Plans.ThreeZones(version: "99.99.99");

        foreach (var (plan, field) in new[] { (noVersion, "version"), (tooManyZones, "zone_count"), (tooBig, "memory_per_node"), (unknownVersion, "version") })
        {
            var response = await Api.CreateClusterAsync("e2e-invalid", plan);
            ((int)response.Status).Should().BeInRange(400, 499, response.ToString());
            response.Body["errors"]!.AsArray().Should().Contain(e => e!["field"]!.GetValue<string>().Contains(field, StringComparison.Ordinal), response.ToString());
        }

        var malformed = await Api.SendAsync(HttpMethod.Post, "/api/v1/clusters/elasticsearch", rawBody: "{\"cluster_name\": ");
        malformed.Status.Should().Be(HttpStatusCode.BadRequest, malformed.ToString());

        using var anonymous = new PlatformApi(() => Platform.ApiBaseAddress, apiKey: null);
        var refused = await anonymous.CreateClusterAsync("e2e-anonymous", Plans.ThreeZones());
        refused.Status.Should().Be(HttpStatusCode.Unauthorized, refused.ToString());
        using var wrongKey = new PlatformApi(() => Platform.ApiBaseAddress, apiKey: "not-the-key");
        (await wrongKey.CreateClusterAsync("e2e-wrong-key", Plans.ThreeZones())).Status.Should().Be(HttpStatusCode.Unauthorized);

        (await Api.ListClustersAsync()).Text.Should().Be(before, "refused requests change nothing");
    }

    [Fact]
    [Scenario(Order = 3)]
    public async Task Overrides_ExcludeBlockRedirect_SteerTrafficUntilRemoved()
    {
        var clusterId = await SharedClusterAsync();
        var other = await Fixture.CreateHealthyClusterAsync("e2e-redirect-target", Plans.SingleNode());
        using var client = new ClusterClient(Platform.ProxyPort, clusterId);
        var instance = (await InstanceNamesAsync(clusterId)).Single();
        (await HandlersAsync(client, 5)).Should().BeEquivalentTo([instance]);

        // The cluster's only instance excluded: nothing is routable until the override goes.
        (await Api.PutOverrideAsync(clusterId, "drain-one", new JsonObject { ["action"] = "exclude", ["instances"] = new JsonArray(instance), ["reason"] = "disk alarm", ["ttl_seconds"] = 600 })).Status.Should().Be(HttpStatusCode.OK);
        await Eventually.AssertAsync(async () => (await client.GetAsync("/")).Status == HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(10), "the excluded instance leaves rotation");
        for (var i = 0; i < 20; i++)
        {
            (await client.GetAsync("/")).Status.Should().Be(HttpStatusCode.ServiceUnavailable, "no request reaches an excluded instance");
        }

        (await Api.RoutingAsync(clusterId)).Body.ToJsonString().Should().Contain("drain-one").And.Contain("disk alarm");
        ((int)(await Api.DeleteOverrideAsync(clusterId, "drain-one")).Status).Should().BeInRange(200, 204);
        await Eventually.AssertAsync(async () => (await client.GetAsync("/")).Status == HttpStatusCode.OK, TimeSpan.FromSeconds(10), "the instance is back once the override is removed");

        (await Api.PutOverrideAsync(clusterId, "short", new JsonObject { ["action"] = "exclude", ["instances"] = new JsonArray(instance), ["reason"] = "brief", ["ttl_seconds"] = 3 })).Status.Should().Be(HttpStatusCode.OK);
        await Eventually.AssertAsync(async () => (await client.GetAsync("/")).Status == HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(10), "the short override applies");
        await Eventually.AssertAsync(async () => (await client.GetAsync("/")).Status == HttpStatusCode.OK, TimeSpan.FromSeconds(15), "an expired override stops applying by itself");

        (await Api.PutOverrideAsync(clusterId, "incident", new JsonObject { ["action"] = "block", ["reason"] = "incident INC-42: abusive client" })).Status.Should().Be(HttpStatusCode.OK);
        await Eventually.AssertAsync(async () => (int)(await client.GetAsync("/")).Status >= 400, TimeSpan.FromSeconds(10), "the block applies");
        var blocked = await client.GetAsync("/");
        blocked.Text.Should().Contain("INC-42", "clients are told the reason");
        ((int)(await Api.DeleteOverrideAsync(clusterId, "incident")).Status).Should().BeInRange(200, 204);
        await Eventually.AssertAsync(async () => (await client.GetAsync("/")).Status == HttpStatusCode.OK, TimeSpan.FromSeconds(10), "unblocked");

        (await Api.PutOverrideAsync(clusterId, "move", new JsonObject { ["action"] = "redirect", ["target_cluster_id"] = other, ["reason"] = "migration" })).Status.Should().Be(HttpStatusCode.OK);
        await Eventually.AssertAsync(async () => (await client.GetAsync("/")).Json["cluster_name"]?.GetValue<string>() == "e2e-redirect-target", TimeSpan.FromSeconds(10), "traffic goes to the target cluster");
        ((int)(await Api.DeleteOverrideAsync(clusterId, "move")).Status).Should().BeInRange(200, 204);
        await Eventually.AssertAsync(async () => (await client.GetAsync("/")).Json["cluster_name"]?.GetValue<string>() == "e2e-shared", TimeSpan.FromSeconds(10), "traffic comes back");

        (await Api.ShutdownAsync(other)).Status.Should().BeOneOf(HttpStatusCode.OK, HttpStatusCode.Accepted);
    }

    [Fact]
    [Scenario(Order = 4)]
    public async Task ZooKeeperRestarted_NoContainerRestarts_AndTheProxyServesThroughout()
    {
        var clusterId = await SharedClusterAsync();
        var before = await ContainerStartsAsync(clusterId);
        before.Should().NotBeEmpty("the cluster runs a container to watch");
        using var client = new ClusterClient(Platform.ProxyPort, clusterId);
        await client.BulkIndexAsync("zk-outage", 0, 100);
        await using (var traffic = TrafficRecorder.Start(client, "zk-outage", write: false))
        {
            await Platform.ZooKeeper.StopAsync();
            // The outage lasts past the agents' session timeout, so every session expires.
            await Task.Delay(TimeSpan.FromSeconds(10));
            traffic.Reads.Should().BeGreaterThan(0);
            await Platform.ZooKeeper.StartAgainAsync();
            await Fixture.WaitForPlanAsync(clusterId);
            await traffic.StopAsync();
            traffic.FailedReads.Should().BeEmpty("the proxy keeps routing with its last-known table");
        }

        (await ContainerStartsAsync(clusterId)).Should().BeEquivalentTo(before, "losing coordination never restarts a workload");
    }

    [Fact]
    [Scenario(Order = 7)]
    public async Task ShutdownThenDelete_StopsThenRemovesContainers_OtherClustersUntouched()
    {
        var shared = await SharedClusterAsync();

        // Through cloudctl, as an operator would: create follows the plan step by step to its end.
        var create = await Cloudctl.RunAsync(Platform, PlatformFixture.PlanTimeout, "cluster", "create", "--name", "e2e-doomed", "--zones", "1", "--memory", "512");
        create.ExitCode.Should().Be(0, create.Output);
        var clusterId = Regex.Match(create.Output, "Cluster (\\S+): plan").Groups[1].Value;
        clusterId.Should().NotBeEmpty(create.Output);
        create.Output.Should().Contain("wait_for_new_instances success").And.MatchRegex("attempt [^ ]+: success");
        (await Fixture.WaitForPlanAsync(clusterId))["healthy"]!.GetValue<bool>().Should().BeTrue();
        var names = new[] { "es-" + clusterId.ToLowerInvariant() + "-" };

        var shutdown = await Cloudctl.RunAsync(Platform, PlatformFixture.PlanTimeout, "cluster", "shutdown", clusterId, "-o", "json");
        shutdown.ExitCode.Should().Be(0, shutdown.Output);
        JsonNode.Parse(shutdown.Output)!["attempt"]!["status"]!.GetValue<string>().Should().Be("success");
        await Eventually.AssertAsync(async () => (await Api.GetClusterAsync(clusterId)).Json?["status"]?.GetValue<string>() == "stopped", TimeSpan.FromMinutes(2), "the cluster stops");
        (await RunningContainersOfAsync(names)).Should().BeEmpty("a stopped cluster runs nothing");
        DataDirectoriesOf(clusterId).Should().NotBeEmpty("a shutdown keeps the data for a restart");
        var sharedData = DataDirectoriesOf(shared);

        var deleted = await Cloudctl.RunAsync(Platform, TimeSpan.FromMinutes(1), "cluster", "delete", clusterId);
        deleted.ExitCode.Should().Be(0, deleted.Output);
        await Eventually.AssertAsync(async () => (await Api.GetClusterAsync(clusterId)).Status == HttpStatusCode.NotFound, TimeSpan.FromMinutes(1), "the cluster is gone from the API");
        await Eventually.AssertAsync(async () => (await AllContainersOfAsync(names)).Count == 0, TimeSpan.FromMinutes(1), "its containers are removed");
        await Eventually.AssertAsync(() => Task.FromResult(DataDirectoriesOf(clusterId).Count == 0), TimeSpan.FromMinutes(1), "its data directories are removed on every host");
        DataDirectoriesOf(shared).Should().BeEquivalentTo(sharedData, "another cluster's data is untouched");

        using var client = new ClusterClient(Platform.ProxyPort, shared);
        (await client.GetAsync("/")).Status.Should().Be(HttpStatusCode.OK, "other clusters are untouched");
        using var gone = new ClusterClient(Platform.ProxyPort, clusterId);
        await Eventually.AssertAsync(async () => (await gone.GetAsync("/")).Status == HttpStatusCode.NotFound, TimeSpan.FromSeconds(30), "the proxy no longer knows the deleted cluster");
    }

    /// <summary>The instance directories of a cluster on every host (<c>&lt;data_root&gt;/&lt;allocator&gt;/&lt;cluster_id&gt;-&lt;instance&gt;</c>).</summary>
    private List<string> DataDirectoriesOf(string clusterId) =>
    [
        .. Platform.Hosts.SelectMany(h => Directory.Exists(Path.Combine(h.DataRoot, h.HostId))
            ? Directory.GetDirectories(Path.Combine(h.DataRoot, h.HostId), clusterId + "-*")
            : []),
    ];

    [Fact]
    [Scenario(Order = 8)]
    public async Task OfficialClients_PythonAndJavaScript_ThroughTheProxy_ByHeaderAndByHostName()
    {
        var clusterId = await SharedClusterAsync();
        var url = $"http://127.0.0.1:{Platform.ProxyPort}";
        var byHeader = new Dictionary<string, string> { ["ES_URL"] = url, ["ES_HEADER_NAME"] = "X-Found-Cluster", ["ES_HEADER_VALUE"] = clusterId };
        var byHost = new Dictionary<string, string> { ["ES_URL"] = url, ["ES_HEADER_NAME"] = "Host", ["ES_HEADER_VALUE"] = $"{clusterId}.localhost:{Platform.ProxyPort}" };

        foreach (var (client, environment, index) in new[]
        {
            ("python", byHeader, "py-header"), ("python", byHost, "py-host"),
            ("javascript", byHeader, "js-header"), ("javascript", byHost, "js-host"),
        })
        {
            var withIndex = new Dictionary<string, string>(environment) { ["ES_INDEX"] = index };
            var (exitCode, text) = client == "python" ? await OfficialClients.RunPythonAsync(withIndex) : await OfficialClients.RunNodeAsync(withIndex);
            Output.WriteLine($"{client} ({index}):\n{text}");
            exitCode.Should().Be(0, text);
            text.Should().Contain("count ok 501");
        }
    }
}
