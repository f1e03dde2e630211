using System.Text.Json;
using Cloud.Constructor.Tests.Support;
using Cloud.Shared.Coordination;
using Cloud.Testing;
using FluentAssertions;
using Xunit;

namespace Cloud.Constructor.Tests.Integration;

/// <summary>Plans carried out end to end by the real constructor, allocators, runners and node containers.</summary>
[Collection(PlatformCollection.Name)]
[Trait("Category", "Integration")]
public sealed class PlanScenarioTests(PlatformFixture platform) : IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => platform.RetireClustersAsync();

    [Fact]
    public async Task Create_ThreeZones_StartedHealthyRoutedWithEveryStepRecorded()
    {
        var succeededBefore = await platform.PlansEndedAsync("succeeded");

        var id = await platform.CreateClusterAsync("three-zones");

        var cluster = await platform.GetAsync($"/api/v1/clusters/elasticsearch/{id}");
        cluster.GetProperty("status").GetString().Should().Be("started");
        cluster.GetProperty("cluster_name").GetString().Should().Be("three-zones");
        cluster.GetProperty("endpoints").GetProperty("http").GetString().Should().Be($"http://{id}.localhost:9200");
        var instances = Instances(cluster);
        instances.Should().HaveCount(3);
        instances.Select(i => i.GetProperty("zone").GetString()).Should().BeEquivalentTo(["zone-1", "zone-2", "zone-3"]);
        instances.Select(i => i.GetProperty("allocator_id").GetString()).Should().OnlyHaveUniqueItems();
        instances.Should().OnlyContain(i => i.GetProperty("container_state").GetString() == "running"
            && i.GetProperty("routable").GetBoolean() && i.GetProperty("service_version").GetString() == "8.15.0" && i.GetProperty("memory_mb").GetInt64() == 1024);

        var routing = await platform.GetAsync($"/api/v1/clusters/elasticsearch/{id}/routing");
        routing.GetProperty("routing_table").GetProperty("instances").EnumerateArray().Select(e => e.GetString())
            .Should().BeEquivalentTo(instances.Select(i => i.GetProperty("instance_name").GetString()));

        var activity = await platform.GetAsync($"/api/v1/clusters/elasticsearch/{id}/plan/activity");
        activity.GetProperty("current").ValueKind.Should().Be(JsonValueKind.Null);
        var attempt = activity.GetProperty("history").EnumerateArray().Single();
        attempt.GetProperty("status").GetString().Should().Be("success");
        var steps = attempt.GetProperty("steps").EnumerateArray().ToList();
        steps.Select(s => s.GetProperty("step_id").GetString()).Should().StartWith(["verify_version_compatibility", "snapshot", "start_new_instances", "wait_for_new_instances"]).And.EndWith("record_plan");
        steps.Should().OnlyContain(s => s.GetProperty("status").GetString() == "success" || s.GetProperty("status").GetString() == "skipped");
        steps.Should().OnlyContain(s => Has(s, "started") && Has(s, "completed") && Has(s, "duration_ms") && s.GetProperty("info_log").GetArrayLength() > 0);

        // One trace per attempt, a span per step: the leader's log line of every step carries the attempt's trace id.
        var traceId = attempt.GetProperty("trace_id").GetString();
        traceId.Should().MatchRegex("^[0-9a-f]{32}$");
        var stepLogs = StepLog.Of(platform.Constructor!.Process.Output, id);
        stepLogs.Select(s => s.StepId).Should().Contain(["start_new_instances", "wait_for_new_instances"]);
        stepLogs.Should().OnlyContain(s => s.TraceId == traceId);
        stepLogs.Select(s => s.SpanId).Should().OnlyHaveUniqueItems("each step is its own span");
        await Eventually.AssertAsync(
            async () => await platform.PlansEndedAsync("succeeded") > succeededBefore,
            TimeSpan.FromSeconds(10),
            "cloud_constructor_plans_total{outcome=succeeded} counted the plan");
    }

    [Fact]
    public async Task Activity_MoreAttemptsThanKept_LastTwentyShownEachStepWithEveryField()
    {
        var id = await platform.CreateClusterAsync("activity", zones: 1);
        var submitted = new List<string>();

        // Plans that change nothing run every step (most skip) in well under a second: 21 more attempts than the create's.
        for (var i = 0; i < 21; i++)
        {
            var (status, accepted) = await platform.SendAsync(HttpMethod.Post, $"/api/v1/clusters/elasticsearch/{id}/plan", PlanBodies.Plan(zones: 1));
            status.Should().Be(202, accepted.ToString());
            submitted.Add(accepted.GetProperty("plan_id").GetString()!);
            await platform.WaitForPlanAsync(id);
        }

        var activity = await platform.GetAsync($"/api/v1/clusters/elasticsearch/{id}/plan/activity");
        activity.GetProperty("current").ValueKind.Should().Be(JsonValueKind.Null);
        var attempts = activity.GetProperty("history").EnumerateArray().ToList();
        attempts.Select(a => a.GetProperty("plan_id").GetString()).Should().Equal(submitted.Skip(1), "the last 20 attempts, oldest first; older ones dropped");
        attempts.Should().OnlyContain(a => a.GetProperty("status").GetString() == "success" && Has(a, "started") && Has(a, "completed"));
        foreach (var step in attempts.SelectMany(a => a.GetProperty("steps").EnumerateArray()))
        {
            step.GetProperty("step_id").GetString().Should().NotBeNullOrEmpty();
            step.GetProperty("status").GetString().Should().BeOneOf("success", "skipped");
            step.GetProperty("info_log").GetArrayLength().Should().BeGreaterThan(0, step.ToString());
            (Has(step, "started") && Has(step, "completed") && Has(step, "duration_ms")).Should().BeTrue(step.ToString());
            (step.GetProperty("completed").GetDateTimeOffset() - step.GetProperty("started").GetDateTimeOffset()).Should().BeGreaterThanOrEqualTo(TimeSpan.Zero);
            step.GetProperty("duration_ms").GetInt64().Should().BeGreaterThanOrEqualTo(0);
        }

        attempts[^1].GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("step_id").GetString()).Should().Equal(
            "verify_version_compatibility", "snapshot", "start_new_instances", "wait_for_new_instances", "exclude_old_from_allocation", "wait_for_shard_migration",
            "update_routing", "drain", "exclude_old_masters_from_voting", "stop_old_instances", "clean_up", "record_plan");
        var cluster = await platform.GetAsync($"/api/v1/clusters/elasticsearch/{id}");
        cluster.GetProperty("plan_info").GetProperty("history").EnumerateArray().Select(h => h.GetProperty("plan_id").GetString()).Should().Equal(submitted.Skip(1));
        cluster.GetProperty("plan_info").GetProperty("current").GetProperty("plan_id").GetString().Should().Be(submitted[^1]);
    }

    [Fact]
    public async Task GrowAndShrink_BiggerNodes_NewInstancesReplaceOldOnesAndOldAreUnassigned()
    {
        var id = await platform.CreateClusterAsync("grow");
        var before = Names(await platform.GetAsync($"/api/v1/clusters/elasticsearch/{id}"));

        var (status, accepted) = await platform.SendAsync(HttpMethod.Post, $"/api/v1/clusters/elasticsearch/{id}/plan", PlanBodies.Plan(memory: 2048));
        status.Should().Be(202, accepted.ToString());
        var after = await platform.WaitForPlanAsync(id);

        var instances = Instances(after);
        instances.Should().HaveCount(3).And.OnlyContain(i => i.GetProperty("memory_mb").GetInt64() == 2048);
        Names(after).Should().NotIntersectWith(before, "a replaced instance gets a new name");
        Names(after).Should().BeEquivalentTo(["instance-0000000004", "instance-0000000005", "instance-0000000006"]);
        instances.Select(i => i.GetProperty("zone").GetString()).Should().BeEquivalentTo(["zone-1", "zone-2", "zone-3"]);
        (await AssignedAsync(id)).Should().BeEquivalentTo(Names(after), "the old instances are unassigned, nothing else is");
        after.GetProperty("plan_info").GetProperty("history").EnumerateArray().Should().HaveCount(2);
    }

    [Fact]
    public async Task Rolling_VersionChange_SameInstancesRestartedAtNewVersion()
    {
        var id = await platform.CreateClusterAsync("rolling");
        var before = Names(await platform.GetAsync($"/api/v1/clusters/elasticsearch/{id}"));

        var (status, accepted) = await platform.SendAsync(HttpMethod.Post, $"/api/v1/clusters/elasticsearch/{id}/plan", PlanBodies.Plan(version: "8.16.0", transient: """{"strategy":"rolling","rolling":{"group_by":"__zone__"}}"""));
        status.Should().Be(202, accepted.ToString());
        accepted.GetProperty("strategy").GetString().Should().Be("rolling");
        var after = await platform.WaitForPlanAsync(id);

        var attempt = (await platform.GetAsync($"/api/v1/clusters/elasticsearch/{id}/plan/activity")).GetProperty("history").EnumerateArray().Last();
        attempt.GetProperty("status").GetString().Should().Be("success", attempt.ToString());
        Names(after).Should().BeEquivalentTo(before, "a rolling change restarts in place");
        Instances(after).Should().OnlyContain(i => i.GetProperty("service_version").GetString() == "8.16.0");
        attempt.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("step_id").GetString())
            .Should().Contain(["rolling_restart:zone-1", "rolling_restart:zone-2", "rolling_restart:zone-3"]);
    }

    [Fact]
    public async Task Vacate_AllocatorInZoneOne_InstanceMovesToTheOtherZoneOneAllocator()
    {
        var id = await platform.CreateClusterAsync("vacate", zones: 1);
        var cluster = await platform.GetAsync($"/api/v1/clusters/elasticsearch/{id}");
        var zoneOne = Instances(cluster).Single(i => i.GetProperty("zone").GetString() == "zone-1");
        var from = zoneOne.GetProperty("allocator_id").GetString()!;
        var other = platform.Hosts.Single(h => h.Zone == "zone-1" && h.HostId != from).HostId;

        var (status, moved) = await platform.SendAsync(HttpMethod.Post, $"/api/v1/platform/infrastructure/allocators/{from}/clusters/_move");
        status.Should().Be(202, moved.ToString());
        moved.GetProperty("moves").EnumerateArray().Should().Contain(m => m.GetProperty("cluster_id").GetString() == id);
        var after = await platform.WaitForPlanAsync(id);

        var replacement = Instances(after).Single(i => i.GetProperty("zone").GetString() == "zone-1");
        replacement.GetProperty("allocator_id").GetString().Should().Be(other);
        replacement.GetProperty("instance_name").GetString().Should().NotBe(zoneOne.GetProperty("instance_name").GetString());
        Instances(after).Should().NotContain(i => i.GetProperty("allocator_id").GetString() == from);
        (await platform.ZooKeeperChildrenAsync(CloudPaths.WorkOf(from))).Should().NotContain(n => n.StartsWith(id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AllocatorAndRunnerKilled_InstancesUnhealthyAtOnceThenReplacedInTheSameZone()
    {
        var id = await platform.CreateClusterAsync("remediate", zones: 1);
        var cluster = await platform.GetAsync($"/api/v1/clusters/elasticsearch/{id}");
        var victim = Instances(cluster).Single(i => i.GetProperty("zone").GetString() == "zone-1");
        var host = platform.Hosts.Single(h => h.HostId == victim.GetProperty("allocator_id").GetString());
        try
        {
            await host.KillAsync();

            var unhealthy = await Eventually.GetAsync<object>(
                async () =>
                {
                    var c = await platform.GetAsync($"/api/v1/clusters/elasticsearch/{id}");
                    var i = Instances(c).SingleOrDefault(x => x.GetProperty("instance_name").GetString() == victim.GetProperty("instance_name").GetString());
                    return i.ValueKind == JsonValueKind.Object && !i.GetProperty("healthy").GetBoolean() && !c.GetProperty("healthy").GetBoolean() ? c : null;
                },
                TimeSpan.FromSeconds(30),
                "the gone allocator's instance shown unhealthy");
            unhealthy.Should().NotBeNull();

            var after = await platform.WaitForPlanAsync(id);
            var replacement = Instances(after).Single(i => i.GetProperty("zone").GetString() == "zone-1");
            replacement.GetProperty("allocator_id").GetString().Should().NotBe(host.HostId);
            replacement.GetProperty("instance_name").GetString().Should().NotBe(victim.GetProperty("instance_name").GetString());
            after.GetProperty("plan_info").GetProperty("current").GetProperty("source").GetString().Should().StartWith("remediation:");
        }
        finally
        {
            host.Start();
            await Eventually.AssertAsync(
                async () => (await platform.ZooKeeperChildrenAsync(CloudPaths.Allocators)).Contains(host.HostId),
                TimeSpan.FromSeconds(60),
                "the host back");
        }
    }

    internal static bool Has(JsonElement element, string property) => element.TryGetProperty(property, out var value) && value.ValueKind != JsonValueKind.Null;

    internal static List<JsonElement> Instances(JsonElement cluster) => [.. cluster.GetProperty("topology").GetProperty("instances").EnumerateArray()];

    internal static List<string> Names(JsonElement cluster) => [.. Instances(cluster).Select(i => i.GetProperty("instance_name").GetString()!)];

    private async Task<List<string>> AssignedAsync(string clusterId)
    {
        var names = new List<string>();
        foreach (var allocator in await platform.ZooKeeperChildrenAsync(CloudPaths.AllocatorsWork))
        {
            names.AddRange((await platform.ZooKeeperChildrenAsync(CloudPaths.WorkOf(allocator)))
                .Where(n => n.StartsWith(clusterId + "-", StringComparison.Ordinal))
                .Select(n => n[(clusterId.Length + 1)..]));
        }

        return names;
    }
}
