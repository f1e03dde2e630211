using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cloud.Constructor.Tests.Support;
using Cloud.Shared.Coordination;
using Cloud.Testing;
using FluentAssertions;
using Xunit;

namespace Cloud.Constructor.Tests.Integration;

/// <summary>The API against the real constructor process, ZooKeeper and registered allocators; no plan runs here.</summary>
[Collection(PlatformCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ApiTests(PlatformFixture platform) : IAsyncLifetime
{
    private const string Clusters = "/api/v1/clusters/elasticsearch";

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => platform.RetireClustersAsync();

    public static TheoryData<string, string, string?> BadCreates => new()
    {
        { "{\"cluster_name\":\"x\",\"plan\":", "request.malformed_json", null },
        { "{\"cluster_name\":\"x\",\"plan\":" + PlanBodies.Plan() + ",\"colour\":1}", "request.unknown_field", "colour" },
        { "{\"cluster_name\":\"x\",\"plan\":" + PlanBodies.Plan().Replace("\"zone_count\":3", "\"zone_count\":\"3\"", StringComparison.Ordinal) + "}", "request.invalid_type", "plan.cluster_topology[0].zone_count" },
        { "{\"cluster_name\":\"x\",\"plan\":" + PlanBodies.Plan(version: "") + "}", "plan.version_missing", "plan.elasticsearch.version" },
        { PlanBodies.Create("x", version: "7.0.0"), "plan.version_unavailable", "plan.elasticsearch.version" },
        { PlanBodies.Create("x", zones: 4), "plan.zone_count_exceeds_zones", "plan.cluster_topology[0].zone_count" },
        { PlanBodies.Create("x", memory: 65536), "plan.memory_unplaceable", "plan.cluster_topology[0].memory_per_node" },
        { "{\"cluster_name\":\"x\",\"plan\":" + PlanBodies.Plan(perZone: 3) + "}", "plan.insufficient_allocators", "plan.cluster_topology[0].node_count_per_zone" },
        { "{\"plan\":" + PlanBodies.Plan() + "}", "cluster.name_invalid", "cluster_name" },
        { "{\"cluster_name\":\"x\"}", "plan.missing", "plan" },
    };

    [Theory]
    [MemberData(nameof(BadCreates))]
    public async Task Create_BadPlan_RefusedWithFieldErrorAndNothingCreated(string body, string code, string? field)
    {
        var clustersBefore = await platform.ZooKeeperChildrenAsync(CloudPaths.Clusters);
        var workBefore = await AllWorkAsync();

        var (status, errors) = await platform.SendAsync(HttpMethod.Post, Clusters, body);

        status.Should().Be(400);
        errors.GetProperty("errors").EnumerateArray().Should().Contain(
            e => e.GetProperty("code").GetString() == code && (field == null ? !PlanScenarioTests.Has(e, "field") : PlanScenarioTests.Has(e, "field") && e.GetProperty("field").GetString() == field),
            errors.ToString());
        (await platform.ZooKeeperChildrenAsync(CloudPaths.Clusters)).Should().BeEquivalentTo(clustersBefore);
        (await AllWorkAsync()).Should().BeEquivalentTo(workBefore);
    }

    [Fact]
    public async Task Plan_BadChanges_EachRefusedWithItsCodeAndNothingChanges()
    {
        var (created, body) = await platform.SendAsync(HttpMethod.Post, Clusters, PlanBodies.Create("refusals", version: "8.16.0", zones: 1));
        created.Should().Be(201);
        var id = body.GetProperty("cluster_id").GetString()!;
        await platform.WaitForPlanAsync(id);
        var before = await platform.GetAsync($"{Clusters}/{id}");
        var workBefore = await AllWorkAsync();
        static string WithImage(string plan, string version) =>
            plan.Replace($"\"version\":\"{version}\"", $"\"version\":\"{version}\",\"docker_image\":\"cloud/elasticsearch:8.16.0\"", StringComparison.Ordinal);
        var refusals = new (string Plan, string Code, string Field)[]
        {
            (PlanBodies.Plan(version: "8.15.0", zones: 1), "plan.version_downgrade", "elasticsearch.version"),
            (WithImage(PlanBodies.Plan(version: "8.17.0", memory: 2048, zones: 1), "8.17.0"), "plan.version_and_topology_change", "elasticsearch.version"),
            (WithImage(PlanBodies.Plan(version: "10.0.0", zones: 1), "10.0.0"), "plan.version_incompatible", "elasticsearch.version"),
            (PlanBodies.Plan(version: "9.0.0", zones: 1), "plan.version_unavailable", "elasticsearch.version"),
            (PlanBodies.Plan(zones: 4).Replace("8.15.0", "8.16.0", StringComparison.Ordinal), "plan.zone_count_exceeds_zones", "cluster_topology[0].zone_count"),
            (PlanBodies.Plan(memory: 65536, zones: 1).Replace("8.15.0", "8.16.0", StringComparison.Ordinal), "plan.memory_unplaceable", "cluster_topology[0].memory_per_node"),
            (PlanBodies.Plan(zones: 1, transient: """{"strategy":"sideways"}""").Replace("8.15.0", "8.16.0", StringComparison.Ordinal), "plan.strategy_unknown", "transient.strategy"),
            (PlanBodies.Plan(zones: 1).Replace("8.15.0", "8.16.0", StringComparison.Ordinal).Replace("\"zone_count\":1", "\"zone_count\":1,\"colour\":\"red\"", StringComparison.Ordinal), "request.unknown_field", "cluster_topology[0].colour"),
        };

        foreach (var (plan, code, field) in refusals)
        {
            var (status, errors) = await platform.SendAsync(HttpMethod.Post, $"{Clusters}/{id}/plan", plan);
            status.Should().Be(400, $"{code}: {errors}");
            errors.GetProperty("errors").EnumerateArray().Should().Contain(
                e => e.GetProperty("code").GetString() == code && PlanScenarioTests.Has(e, "field") && e.GetProperty("field").GetString() == field,
                $"{plan} -> {errors}");
        }

        var after = await platform.GetAsync($"{Clusters}/{id}");
        after.GetProperty("plan_info").GetProperty("pending").ValueKind.Should().Be(JsonValueKind.Null);
        after.GetProperty("plan_info").GetProperty("history").GetArrayLength().Should().Be(before.GetProperty("plan_info").GetProperty("history").GetArrayLength());
        PlanScenarioTests.Names(after).Should().BeEquivalentTo(PlanScenarioTests.Names(before));
        (await AllWorkAsync()).Should().BeEquivalentTo(workBefore, "a refused plan assigns nothing");
    }

    [Fact]
    public async Task Create_ValidateOnly_ReturnsPlacementAndCreatesNothing()
    {
        var clustersBefore = await platform.ZooKeeperChildrenAsync(CloudPaths.Clusters);

        var (status, body) = await platform.SendAsync(HttpMethod.Post, Clusters + "?validate_only=true", PlanBodies.Create("dry"));

        status.Should().Be(200, body.ToString());
        body.GetProperty("validate_only").GetBoolean().Should().BeTrue();
        var instances = body.GetProperty("instances").EnumerateArray().ToList();
        instances.Should().HaveCount(3);
        instances.Select(i => i.GetProperty("zone").GetString()).Should().BeEquivalentTo(["zone-1", "zone-2", "zone-3"]);
        instances.Select(i => i.GetProperty("allocator_id").GetString()).Should().OnlyHaveUniqueItems();
        (await platform.ZooKeeperChildrenAsync(CloudPaths.Clusters)).Should().BeEquivalentTo(clustersBefore);
    }

    [Fact]
    public async Task Allocators_ListedWithCapacityZoneAndMaintenanceRoundTrip()
    {
        var host = platform.Hosts[3];
        var list = await platform.GetAsync("/api/v1/platform/infrastructure/allocators");
        var allocator = list.GetProperty("allocators").EnumerateArray().Single(a => a.GetProperty("allocator_id").GetString() == host.HostId);
        allocator.GetProperty("zone").GetString().Should().Be(host.Zone);
        allocator.GetProperty("connected").GetBoolean().Should().BeTrue();
        allocator.GetProperty("capacity").GetProperty("memory").GetProperty("total_mb").GetInt64().Should().Be(PlatformFixture.AllocatorMemoryMb);

        try
        {
            (await platform.SendAsync(HttpMethod.Post, $"/api/v1/platform/infrastructure/allocators/{host.HostId}/maintenance-mode/_start")).Status.Should().Be(202);
            await Eventually.AssertAsync(
                async () => (await platform.GetAsync("/api/v1/platform/infrastructure/allocators")).GetProperty("allocators").EnumerateArray()
                    .Single(a => a.GetProperty("allocator_id").GetString() == host.HostId).GetProperty("maintenance_mode").GetBoolean(),
                TimeSpan.FromSeconds(10),
                "maintenance shown");
            var (status, refused) = await platform.SendAsync(HttpMethod.Post, Clusters + "?validate_only=true", PlanBodies.Create("no-room"));
            status.Should().Be(400, "zone-3's only allocator is in maintenance");
            refused.GetProperty("errors")[0].GetProperty("code").GetString().Should().Be("plan.zone_count_exceeds_zones");
        }
        finally
        {
            (await platform.SendAsync(HttpMethod.Post, $"/api/v1/platform/infrastructure/allocators/{host.HostId}/maintenance-mode/_stop")).Status.Should().Be(202);
        }

        (await platform.SendAsync(HttpMethod.Post, "/api/v1/platform/infrastructure/allocators/nobody/maintenance-mode/_start")).Status.Should().Be(404);
        (await platform.GetAsync("/api/v1/platform/infrastructure/runners")).GetProperty("runners").GetArrayLength().Should().Be(platform.Hosts.Length);
        (await platform.GetAsync("/api/v1/platform/infrastructure/proxies")).GetProperty("proxies").ValueKind.Should().Be(JsonValueKind.Array);
    }

    [Fact]
    public async Task RoutingOverride_PutShownAndDeleted_BadOneRefused()
    {
        var (created, body) = await platform.SendAsync(HttpMethod.Post, Clusters, PlanBodies.Create("overrides", zones: 1));
        created.Should().Be(201);
        var id = body.GetProperty("cluster_id").GetString()!;

        var (status, put) = await platform.SendAsync(HttpMethod.Put, $"{Clusters}/{id}/routing/overrides/incident-42", """{"action":"exclude","instances":["instance-0000000001"],"reason":"slow disk","ttl_seconds":600}""");
        status.Should().Be(200, put.ToString());
        var stored = JsonDocument.Parse((await platform.Observer.GetDataAsync(CloudPaths.Override(id, "incident-42"))).Data).RootElement;
        stored.GetProperty("action").GetString().Should().Be("exclude");
        stored.GetProperty("author").GetString().Should().Be("anonymous");
        stored.GetProperty("reason").GetString().Should().Be("slow disk");
        (DateTimeOffset.Parse(stored.GetProperty("expires_at").GetString()!, System.Globalization.CultureInfo.InvariantCulture)
            - DateTimeOffset.Parse(stored.GetProperty("created_at").GetString()!, System.Globalization.CultureInfo.InvariantCulture)).Should().Be(TimeSpan.FromSeconds(600));
        var routing = await platform.GetAsync($"{Clusters}/{id}/routing");
        routing.GetProperty("overrides").EnumerateArray().Single().GetProperty("active").GetBoolean().Should().BeTrue();

        (await platform.SendAsync(HttpMethod.Put, $"{Clusters}/{id}/routing/overrides/bad", """{"action":"explode","reason":""}""")).Status.Should().Be(400);
        (await platform.SendAsync(HttpMethod.Put, $"{Clusters}/{id}/routing/overrides/bad", """{"action":"redirect","reason":"x","target_cluster_id":"nope"}""")).Status.Should().Be(400);
        (await platform.ZooKeeperChildrenAsync(CloudPaths.OverridesOf(id))).Should().Equal("incident-42");

        (await platform.SendAsync(HttpMethod.Delete, $"{Clusters}/{id}/routing/overrides/incident-42")).Status.Should().Be(200);
        (await platform.ZooKeeperChildrenAsync(CloudPaths.OverridesOf(id))).Should().BeEmpty();
        (await platform.SendAsync(HttpMethod.Delete, $"{Clusters}/{id}/routing/overrides/incident-42")).Status.Should().Be(404);
    }

    [Fact]
    public async Task Routing_TrafficFilterOnTheRoutingNode_KeptWhenTheConstructorRewritesIt()
    {
        var id = await platform.CreateClusterAsync("filtered", zones: 1);
        var instance = PlanScenarioTests.Names(await platform.GetAsync($"{Clusters}/{id}")).Single();
        var path = CloudPaths.RoutingOf(id);
        var node = await platform.Observer.GetDataAsync(path);
        var table = JsonNode.Parse(node.Data)!.AsObject();
        table["allowed_sources"] = new JsonArray("10.0.0.0/8", "192.168.1.7");
        await platform.Observer.SetDataAsync(path, Encoding.UTF8.GetBytes(table.ToJsonString()), node.Stat.Version);

        (await platform.SendAsync(HttpMethod.Post, $"{Clusters}/{id}/instances/{instance}/maintenance-mode/_start")).Status.Should().Be(202);

        var rewritten = JsonDocument.Parse((await platform.Observer.GetDataAsync(path)).Data).RootElement;
        rewritten.GetProperty("maintenance").EnumerateArray().Select(e => e.GetString()).Should().Equal(instance);
        rewritten.GetProperty("instances").GetArrayLength().Should().Be(0, "an instance in maintenance takes no traffic");
        rewritten.GetProperty("allowed_sources").EnumerateArray().Select(e => e.GetString()).Should().Equal("10.0.0.0/8", "192.168.1.7");
    }

    [Fact]
    public async Task OpenApi_DocumentListsTheContractPaths()
    {
        var document = await platform.GetAsync("/api/v1/openapi.json");
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        paths.Should().Contain([
            "/api/v1/clusters/elasticsearch", "/api/v1/clusters/elasticsearch/{cluster_id}", "/api/v1/clusters/elasticsearch/{cluster_id}/plan",
            "/api/v1/clusters/elasticsearch/{cluster_id}/plan/activity", "/api/v1/clusters/elasticsearch/{cluster_id}/plan/pending",
            "/api/v1/clusters/elasticsearch/{cluster_id}/_shutdown", "/api/v1/clusters/elasticsearch/{cluster_id}/routing",
            "/api/v1/clusters/elasticsearch/{cluster_id}/routing/overrides/{override_id}", "/api/v1/platform/infrastructure/allocators",
            "/api/v1/platform/infrastructure/allocators/{allocator_id}/clusters/_move",
        ]);
    }

    [Fact]
    public async Task ApiKeys_MissingOrWrong401_ReadOnlyMutation403_AdminAllowed()
    {
        var settings = new Dictionary<string, string>(PlatformFixture.ConstructorSettings(platform.Zk.ConnectString, "secured-" + Guid.NewGuid().ToString("N")[..4]))
        {
            ["Api:AdminKey"] = "admin-secret",
            ["Api:ReadOnlyKeys:viewer"] = "viewer-secret",
            ["Api:MaxRequestBodyBytes"] = "4096",
        };
        await using var secured = RoleProcess.Start("Constructor", settings);
        using var http = new HttpClient { BaseAddress = secured.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        await Eventually.AssertAsync(async () => (await http.GetAsync(new Uri("/health", UriKind.Relative))).IsSuccessStatusCode, TimeSpan.FromSeconds(60), "secured constructor up");

        (await platform.SendAsync(HttpMethod.Get, Clusters, client: http)).Status.Should().Be(401);
        (await platform.SendAsync(HttpMethod.Get, Clusters, apiKey: "guess", client: http)).Status.Should().Be(401);
        (await platform.SendAsync(HttpMethod.Get, Clusters, apiKey: "viewer-secret", client: http)).Status.Should().Be(200);
        (await platform.SendAsync(HttpMethod.Post, Clusters + "?validate_only=true", PlanBodies.Create("k"), apiKey: "viewer-secret", client: http)).Status.Should().Be(403);
        (await platform.SendAsync(HttpMethod.Post, Clusters + "?validate_only=true", PlanBodies.Create("k"), apiKey: "admin-secret", client: http)).Status.Should().Be(200);
        var (tooLarge, _) = await platform.SendAsync(HttpMethod.Post, Clusters, "{\"cluster_name\":\"" + new string('x', 8000) + "\"}", apiKey: "admin-secret", client: http);
        tooLarge.Should().Be(413);
        (await http.GetAsync(new Uri("/health", UriKind.Relative))).IsSuccessStatusCode.Should().BeTrue("health stays open");
    }

    private async Task<List<string>> AllWorkAsync()
    {
        var all = new List<string>();
        foreach (var allocator in await platform.ZooKeeperChildrenAsync(CloudPaths.AllocatorsWork))
        {
            all.AddRange((await platform.ZooKeeperChildrenAsync(CloudPaths.WorkOf(allocator))).Select(n => allocator + "/" + n));
        }

        return all;
    }
}
