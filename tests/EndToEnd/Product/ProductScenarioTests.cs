using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Cloud.EndToEnd.Tests.Platform;
using Cloud.Testing;
using FluentAssertions;
using Xunit;
using Xunit.Abstractions;

namespace Cloud.EndToEnd.Tests.Product;

/// <summary>
/// The product as its users meet it (issue 19): a user creates and changes clusters only through the
/// REST API, applications talk to them only through the proxy, and hosts, processes and ZooKeeper
/// fail underneath. No internal type of the platform is used here.
/// </summary>
[Collection(PlatformCollection.Name)]
[Trait("Category", "Integration")]
[TestCaseOrderer(ScenarioOrderer.TypeName, ScenarioOrderer.AssemblyName)]
public sealed class ProductScenarioTests(PlatformFixture fixture, ITestOutputHelper output) : IDisposable
{
    private readonly Stopwatch _watch = Stopwatch.StartNew();

    private PlatformApi Api => fixture.Api;

    private LocalPlatform Platform => fixture.Platform;

    [Fact]
    [Scenario(Order = 1)]
    public async Task CreateCluster_ThreeZones_TurnsHealthyAndServesBulkCountAndSearchThroughTheProxy()
    {
        var clusterId = await fixture.CreateHealthyClusterAsync("e2e-basic", Plans.ThreeZones());
        var cluster = (await Api.GetClusterAsync(clusterId)).Body;
        var instances = cluster["topology"]!["instances"]!.AsArray();
        instances.Select(i => i!["zone"]!.GetValue<string>()).Should().BeEquivalentTo(["zone-1", "zone-2", "zone-3"]);
        instances.Should().OnlyContain(i => i!["container_state"]!.GetValue<string>() == "running");

        using var client = new ClusterClient(Platform.ProxyPort, clusterId);
        await client.BulkIndexAsync("books", 0, 1000);
        (await client.CountAsync("books")).Should().Be(1000);
        var search = await client.SendAsync(HttpMethod.Post, "/books/_search", "{\"query\":{\"match\":{\"tag\":\"even\"}},\"size\":3}");
        search.EnsureOk();
        search.Json["hits"]!["total"]!["value"]!.GetValue<long>().Should().Be(500);
        search.HandlingInstance.Should().NotBeNullOrEmpty();

        using var byHost = new ClusterClient(Platform.ProxyPort, clusterId, useHostName: true);
        (await byHost.CountAsync("books")).Should().Be(1000);
    }

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
        var other = await fixture.CreateHealthyClusterAsync("e2e-redirect-target", Plans.ThreeZones());
        using var client = new ClusterClient(Platform.ProxyPort, clusterId);
        var instances = await InstanceNamesAsync(clusterId);
        var excluded = instances[0];

        (await Api.PutOverrideAsync(clusterId, "drain-one", new JsonObject { ["action"] = "exclude", ["instances"] = new JsonArray(excluded), ["reason"] = "disk alarm", ["ttl_seconds"] = 600 })).Status.Should().Be(HttpStatusCode.OK);
        await Eventually.AssertAsync(async () => !(await HandlersAsync(client, 30)).Contains(excluded), TimeSpan.FromSeconds(10), "the excluded instance leaves rotation");
        (await HandlersAsync(client, 60)).Should().NotContain(excluded, "no request reaches an excluded instance");
        var routing = (await Api.RoutingAsync(clusterId)).Body;
        routing.ToJsonString().Should().Contain("drain-one").And.Contain("disk alarm");
        (await Api.DeleteOverrideAsync(clusterId, "drain-one")).Status.Should().Be(HttpStatusCode.OK);
        await Eventually.AssertAsync(async () => (await HandlersAsync(client, 60)).Contains(excluded), TimeSpan.FromSeconds(10), "the instance is back in rotation once the override is removed");

        (await Api.PutOverrideAsync(clusterId, "short", new JsonObject { ["action"] = "exclude", ["instances"] = new JsonArray(excluded), ["reason"] = "brief", ["ttl_seconds"] = 3 })).Status.Should().Be(HttpStatusCode.OK);
        await Eventually.AssertAsync(async () => !(await HandlersAsync(client, 30)).Contains(excluded), TimeSpan.FromSeconds(10), "the short override applies");
        await Eventually.AssertAsync(async () => (await HandlersAsync(client, 60)).Contains(excluded), TimeSpan.FromSeconds(15), "an expired override stops applying by itself");

        (await Api.PutOverrideAsync(clusterId, "incident", new JsonObject { ["action"] = "block", ["reason"] = "incident INC-42: abusive client" })).Status.Should().Be(HttpStatusCode.OK);
        await Eventually.AssertAsync(async () => (int)(await client.GetAsync("/")).Status >= 400, TimeSpan.FromSeconds(10), "the block applies");
        var blocked = await client.GetAsync("/");
        blocked.Text.Should().Contain("INC-42", "clients are told the reason");
        (await Api.DeleteOverrideAsync(clusterId, "incident")).Status.Should().Be(HttpStatusCode.OK);
        await Eventually.AssertAsync(async () => (await client.GetAsync("/")).Status == HttpStatusCode.OK, TimeSpan.FromSeconds(10), "unblocked");

        (await Api.PutOverrideAsync(clusterId, "move", new JsonObject { ["action"] = "redirect", ["target_cluster_id"] = other, ["reason"] = "migration" })).Status.Should().Be(HttpStatusCode.OK);
        await Eventually.AssertAsync(async () => (await client.GetAsync("/")).Json["cluster_name"]?.GetValue<string>() == "e2e-redirect-target", TimeSpan.FromSeconds(10), "traffic goes to the target cluster");
        (await Api.DeleteOverrideAsync(clusterId, "move")).Status.Should().Be(HttpStatusCode.OK);
        await Eventually.AssertAsync(async () => (await client.GetAsync("/")).Json["cluster_name"]?.GetValue<string>() == "e2e-shared", TimeSpan.FromSeconds(10), "traffic comes back");

        (await Api.ShutdownAsync(other)).Status.Should().BeOneOf(HttpStatusCode.OK, HttpStatusCode.Accepted);
    }

    [Fact]
    [Scenario(Order = 4)]
    public async Task ZooKeeperRestarted_NoContainerRestarts_AndTheProxyServesThroughout()
    {
        var clusterId = await SharedClusterAsync();
        var before = await ContainerStartsAsync();
        using var client = new ClusterClient(Platform.ProxyPort, clusterId);
        await client.BulkIndexAsync("zk-outage", 0, 100);
        await using (var traffic = TrafficRecorder.Start(client, "zk-outage", write: false))
        {
            await Platform.ZooKeeper.StopAsync();
            // The outage lasts past the agents' session timeout, so every session expires.
            await Task.Delay(TimeSpan.FromSeconds(10));
            traffic.Reads.Should().BeGreaterThan(0);
            await Platform.ZooKeeper.StartAgainAsync();
            await fixture.WaitForPlanAsync(clusterId);
            await traffic.StopAsync();
            traffic.FailedReads.Should().BeEmpty("the proxy keeps routing with its last-known table");
        }

        (await ContainerStartsAsync()).Should().BeEquivalentTo(before, "losing coordination never restarts a workload");
    }

    [Fact]
    [Scenario(Order = 5)]
    public async Task GrowAndShrink_ToBiggerNodes_UnderLoad_NoFailedReadAndNothingLost()
    {
        var clusterId = await fixture.CreateHealthyClusterAsync("e2e-grow", Plans.ThreeZones(memoryPerNode: 512));
        var before = await InstanceNamesAsync(clusterId);
        using var client = new ClusterClient(Platform.ProxyPort, clusterId);
        await client.BulkIndexAsync("orders", 0, 2000);
        await using var traffic = TrafficRecorder.Start(client, "orders");

        var submitted = await Api.SubmitPlanAsync(clusterId, Plans.ThreeZones(memoryPerNode: 1024));
        submitted.Status.Should().Be(HttpStatusCode.Accepted, submitted.ToString());
        var cluster = await fixture.WaitForPlanAsync(clusterId);
        await traffic.StopAsync();

        cluster["topology"]!["instances"]!.AsArray().Should().HaveCount(3).And.OnlyContain(i => i!["memory_mb"]!.GetValue<int>() == 1024);
        (await InstanceNamesAsync(clusterId)).Should().NotIntersectWith(before, "grow-and-shrink replaces every node");
        traffic.FailedReads.Should().BeEmpty();
        traffic.Acknowledged.Should().NotBeEmpty();
        (await traffic.MissingAcknowledgedAsync()).Should().BeEmpty("every acknowledged write survives the plan");
        (await client.CountAsync("orders")).Should().Be(2000 + traffic.Acknowledged.Count);
        output.WriteLine($"grow-and-shrink: {traffic.Reads} reads, {traffic.Acknowledged.Count} acknowledged writes, {traffic.FailedWrites.Count} refused writes");
    }

    [Fact]
    [Scenario(Order = 6)]
    public async Task RollingVersionChange_UnderLoad_EveryNodeOnTheNewVersionAndNothingLost()
    {
        var clusterId = await fixture.CreateHealthyClusterAsync("e2e-upgrade", Plans.ThreeZones());
        using var client = new ClusterClient(Platform.ProxyPort, clusterId);
        await client.BulkIndexAsync("logs", 0, 1000);
        await using var traffic = TrafficRecorder.Start(client, "logs");

        var submitted = await Api.SubmitPlanAsync(clusterId, Plans.ThreeZones(version: "8.16.0"));
        submitted.Status.Should().Be(HttpStatusCode.Accepted, submitted.ToString());
        var cluster = await fixture.WaitForPlanAsync(clusterId);
        await traffic.StopAsync();

        cluster["topology"]!["instances"]!.AsArray().Should().OnlyContain(i => i!["service_version"]!.GetValue<string>() == "8.16.0");
        (await client.GetAsync("/")).Json["version"]!["number"]!.GetValue<string>().Should().Be("8.16.0");
        traffic.FailedReads.Should().BeEmpty();
        (await traffic.MissingAcknowledgedAsync()).Should().BeEmpty();
        (await client.CountAsync("logs")).Should().Be(1000 + traffic.Acknowledged.Count);
    }

    [Fact]
    [Scenario(Order = 7)]
    public async Task ShutdownThenDelete_RemovesContainersAndData_OtherClustersUntouched()
    {
        var shared = await SharedClusterAsync();
        var clusterId = await fixture.CreateHealthyClusterAsync("e2e-doomed", Plans.ThreeZones());
        var names = new[] { "es-" + clusterId.ToLowerInvariant() + "-" };

        var shutdown = await Api.ShutdownAsync(clusterId);
        ((int)shutdown.Status).Should().BeInRange(200, 202, shutdown.ToString());
        await Eventually.AssertAsync(async () => (await Api.GetClusterAsync(clusterId)).Json?["status"]?.GetValue<string>() == "stopped", TimeSpan.FromMinutes(2), "the cluster stops");
        (await RunningContainersOfAsync(names)).Should().BeEmpty("a stopped cluster runs nothing");

        var deleted = await Api.DeleteClusterAsync(clusterId);
        ((int)deleted.Status).Should().BeInRange(200, 204, deleted.ToString());
        await Eventually.AssertAsync(async () => (await Api.GetClusterAsync(clusterId)).Status == HttpStatusCode.NotFound, TimeSpan.FromMinutes(1), "the cluster is gone from the API");
        await Eventually.AssertAsync(async () => (await AllContainersOfAsync(names)).Count == 0, TimeSpan.FromMinutes(1), "its containers are removed");
        await Eventually.AssertAsync(() => Task.FromResult(!Platform.Hosts.Any(h => Directory.EnumerateFileSystemEntries(h.DataRoot, "*" + clusterId + "*", SearchOption.AllDirectories).Any())), TimeSpan.FromMinutes(1), "its data is removed");

        using var client = new ClusterClient(Platform.ProxyPort, shared);
        (await client.GetAsync("/")).Status.Should().Be(HttpStatusCode.OK, "other clusters are untouched");
        using var gone = new ClusterClient(Platform.ProxyPort, clusterId);
        (await gone.GetAsync("/")).Status.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    [Scenario(Order = 8)]
    public async Task OfficialClients_ThroughTheProxy_ByHeaderAndByHostName()
    {
        var clusterId = await SharedClusterAsync();
        var url = $"http://127.0.0.1:{Platform.ProxyPort}";
        var byHeader = new Dictionary<string, string> { ["ES_URL"] = url, ["ES_HEADER_NAME"] = "X-Found-Cluster", ["ES_HEADER_VALUE"] = clusterId };
        var byHost = new Dictionary<string, string> { ["ES_URL"] = url, ["ES_HEADER_NAME"] = "Host", ["ES_HEADER_VALUE"] = $"{clusterId}.localhost:{Platform.ProxyPort}" };

        foreach (var (client, environment, index) in new[]
        {
            ("python", byHeader, "py-header"), ("python", byHost, "py-host"),
            ("node", byHeader, "js-header"), ("node", byHost, "js-host"),
        })
        {
            var withIndex = new Dictionary<string, string>(environment) { ["ES_INDEX"] = index };
            var (exitCode, text) = client == "python" ? await OfficialClients.RunPythonAsync(withIndex) : await OfficialClients.RunNodeAsync(withIndex);
            output.WriteLine($"{client} ({index}):\n{text}");
            exitCode.Should().Be(0, text);
            text.Should().Contain("count ok 501");
        }
    }

    [Fact]
    [Scenario(Order = 9)]
    public async Task LeadingConstructorKilledMidPlan_TheStandbyFinishesThePlan()
    {
        var clusterId = await fixture.CreateHealthyClusterAsync("e2e-leader", Plans.ThreeZones(memoryPerNode: 512));
        using var client = new ClusterClient(Platform.ProxyPort, clusterId);
        await client.BulkIndexAsync("ledger", 0, 500);
        var submitted = await Api.SubmitPlanAsync(clusterId, Plans.ThreeZones(memoryPerNode: 768));
        submitted.Status.Should().Be(HttpStatusCode.Accepted, submitted.ToString());

        // Mid-plan: new instances started, old ones not yet stopped.
        await Eventually.AssertAsync(
            async () => (await Api.ActivityAsync(clusterId)).Text.Contains("\"success\"", StringComparison.Ordinal)
                && (await Api.GetClusterAsync(clusterId)).Body["topology"]!["instances"]!.AsArray().Count > 3,
            TimeSpan.FromMinutes(3),
            "the plan has started new instances");
        var leader = await LeaderAsync();
        output.WriteLine("killing leader " + leader.Role + " pid " + leader.Process.Id);
        await leader.Process.KillAsync();

        using var api = new PlatformApi(() => Platform.ApiBaseAddress, Platform.ApiKey);
        var cluster = await WaitForPlanThroughAsync(api, clusterId);
        var instances = cluster["topology"]!["instances"]!.AsArray();
        instances.Should().HaveCount(3, "the plan finished exactly once: nothing duplicated").And.OnlyContain(i => i!["memory_mb"]!.GetValue<int>() == 768);
        (await client.CountAsync("ledger")).Should().Be(500);
        Platform.StartConstructor();
    }

    [Fact]
    [Scenario(Order = 100)]
    public async Task HostKilledWithItsContainers_ClusterKeepsServing_AndIsRebuiltInTheSameZone()
    {
        var clusterId = await SharedClusterAsync();
        using var client = new ClusterClient(Platform.ProxyPort, clusterId);
        var expected = await client.CountAsync("shared");
        var cluster = (await Api.GetClusterAsync(clusterId)).Body;
        var victim = cluster["topology"]!["instances"]!.AsArray().First(i => i!["zone"]!.GetValue<string>() == "zone-3")!;
        var host = Platform.Hosts.Single(h => h.HostId == victim["allocator_id"]!.GetValue<string>());

        await using var traffic = TrafficRecorder.Start(client, "shared", write: false);
        await host.KillWithContainersAsync();
        await Eventually.AssertAsync(
            async () => (await Api.GetClusterAsync(clusterId)).Body["topology"]!["instances"]!.AsArray()
                .Any(i => i!["zone"]!.GetValue<string>() == "zone-3" && i["allocator_id"]!.GetValue<string>() != host.HostId),
            TimeSpan.FromMinutes(3),
            "remediation places a replacement in zone-3 on the spare host");
        var healed = await fixture.WaitForPlanAsync(clusterId);
        await traffic.StopAsync();

        healed["topology"]!["instances"]!.AsArray().Select(i => i!["zone"]!.GetValue<string>()).Should().BeEquivalentTo(["zone-1", "zone-2", "zone-3"]);
        traffic.FailedReads.Should().BeEmpty("the other zones keep serving");
        (await client.CountAsync("shared")).Should().Be(expected, "nothing is lost");
        var health = await client.GetAsync("/_cluster/health?wait_for_status=green&timeout=60s");
        health.Json["status"]!.GetValue<string>().Should().Be("green");
    }

    private async Task<Cloud.Testing.RoleProcess> LeaderAsync()
    {
        var constructors = (await Api.SendAsync(HttpMethod.Get, "/api/v1/platform/infrastructure/constructors")).Body["constructors"]!.AsArray();
        var leaderId = constructors.Single(c => c!["leader"]!.GetValue<bool>())!["constructor_id"]!.GetValue<string>();
        return Platform.Constructors.Single(c => Platform.ConstructorId(c) == leaderId);
    }

    private static async Task<JsonNode> WaitForPlanThroughAsync(PlatformApi api, string clusterId)
    {
        JsonNode? last = null;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < PlatformFixture.PlanTimeout)
        {
            try
            {
                last = (await api.GetClusterAsync(clusterId)).Json;
            }
            catch (HttpRequestException)
            {
                // The constructor that answered may be the one just killed.
            }

            if (last?["plan_info"]?["pending"] is null && last?["status"]?.GetValue<string>() == "started" && last["healthy"]?.GetValue<bool>() == true)
            {
                return last;
            }

            await Task.Delay(500);
        }

        throw new TimeoutException($"plan of {clusterId} did not finish: {last}");
    }

    private async Task<string> SharedClusterAsync()
    {
        var list = (await Api.ListClustersAsync()).Body;
        var existing = (list["clusters"] ?? list).AsArray().FirstOrDefault(c => c?["cluster_name"]?.GetValue<string>() == "e2e-shared");
        if (existing is not null)
        {
            return existing["cluster_id"]!.GetValue<string>();
        }

        var clusterId = await fixture.CreateHealthyClusterAsync("e2e-shared", Plans.ThreeZones());
        using var client = new ClusterClient(Platform.ProxyPort, clusterId);
        await client.BulkIndexAsync("shared", 0, 200);
        return clusterId;
    }

    private async Task<IReadOnlyList<string>> InstanceNamesAsync(string clusterId) =>
        [.. (await Api.GetClusterAsync(clusterId)).Body["topology"]!["instances"]!.AsArray().Select(i => i!["instance_name"]!.GetValue<string>()).Order()];

    private static async Task<HashSet<string>> HandlersAsync(ClusterClient client, int requests)
    {
        var handlers = new HashSet<string>();
        for (var i = 0; i < requests; i++)
        {
            var response = await client.GetAsync("/");
            response.Status.Should().Be(HttpStatusCode.OK, response.ToString());
            handlers.Add(response.HandlingInstance ?? "?");
        }

        return handlers;
    }

    /// <summary>Container id to its start time, for every container of the platform's hosts.</summary>
    private async Task<Dictionary<string, string>> ContainerStartsAsync()
    {
        var starts = new Dictionary<string, string>();
        foreach (var host in Platform.Hosts)
        {
            var ids = await DockerEngine.CliAsync("ps", "-q", "--filter", "label=" + host.ContainerLabel);
            foreach (var id in ids.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                starts[id] = await DockerEngine.CliAsync("inspect", "-f", "{{.State.StartedAt}} {{.RestartCount}}", id);
            }
        }

        return starts;
    }

    private static async Task<IReadOnlyList<string>> RunningContainersOfAsync(IEnumerable<string> instanceNames) =>
        await ContainersMatchingAsync(instanceNames, "ps");

    private static async Task<IReadOnlyList<string>> AllContainersOfAsync(IEnumerable<string> instanceNames) =>
        await ContainersMatchingAsync(instanceNames, "ps", "-a");

    private static async Task<IReadOnlyList<string>> ContainersMatchingAsync(IEnumerable<string> instanceNames, params string[] command)
    {
        var names = await DockerEngine.CliAsync([.. command, "--format", "{{.Names}}"]);
        return [.. names.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(n => instanceNames.Any(i => n.Contains(i, StringComparison.Ordinal)))];
    }

    public void Dispose() => output.WriteLine($"scenario took {_watch.Elapsed.TotalSeconds:F1} s");
}
