using System.Text.Json;
using Cloud.Constructor.Tests.Support;
using Cloud.Shared.Coordination;
using Cloud.Testing;
using FluentAssertions;
using Xunit;

namespace Cloud.Constructor.Tests.Integration;

/// <summary>Cancelling a pending plan, shutting a cluster down and deleting it, end to end.</summary>
[Collection(PlatformCollection.Name)]
[Trait("Category", "Integration")]
public sealed class LifecycleTests(PlatformFixture platform) : IAsyncLifetime
{
    private const string Clusters = "/api/v1/clusters/elasticsearch";

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => platform.RetireClustersAsync();

    [Fact]
    public async Task CancelPending_PlanStuckOnAnImageThatDoesNotExist_RolledBackToCurrent()
    {
        var id = await platform.CreateClusterAsync("cancel", zones: 1);
        var before = PlanScenarioTests.Names(await platform.GetAsync($"{Clusters}/{id}"));
        var stuck = """{"elasticsearch":{"version":"8.15.0","docker_image":"cloud/elasticsearch:no-such-image"},"cluster_topology":[{"memory_per_node":1536,"node_count_per_zone":1,"zone_count":1}]}""";

        var cancelledBefore = await platform.PlansEndedAsync("cancelled");

        var (status, accepted) = await platform.SendAsync(HttpMethod.Post, $"{Clusters}/{id}/plan", stuck);
        status.Should().Be(202, accepted.ToString());
        var planId = accepted.GetProperty("plan_id").GetString()!;
        await Eventually.AssertAsync(
            async () => (await platform.GetAsync($"{Clusters}/{id}/plan/activity")).GetProperty("current") is { ValueKind: JsonValueKind.Object } current
                && current.GetProperty("steps").EnumerateArray().Any(s => s.GetProperty("step_id").GetString() == "wait_for_new_instances" && s.GetProperty("status").GetString() == "running"),
            PlatformFixture.PlanWait,
            "the plan waiting for instances that cannot start");
        (await platform.GetAsync($"{Clusters}/{id}")).GetProperty("status").GetString().Should().Be("reconfiguring");
        var running = (await platform.GetAsync($"{Clusters}/{id}/plan/activity")).GetProperty("current");
        running.GetProperty("steps").EnumerateArray().Where(s => s.GetProperty("status").GetString() == "pending").Should().NotBeEmpty()
            .And.OnlyContain(s => s.GetProperty("started").ValueKind == JsonValueKind.Null && s.GetProperty("completed").ValueKind == JsonValueKind.Null
                && s.GetProperty("duration_ms").ValueKind == JsonValueKind.Null && s.GetProperty("info_log").GetArrayLength() == 0, "a step not yet run shows every field, empty");

        (await platform.SendAsync(HttpMethod.Delete, $"{Clusters}/{id}/plan/pending")).Status.Should().Be(202);
        var after = await platform.WaitForPlanAsync(id);

        PlanScenarioTests.Names(after).Should().BeEquivalentTo(before);
        after.GetProperty("plan_info").GetProperty("history").EnumerateArray().Last().GetProperty("outcome").GetString().Should().Be("cancelled");
        var attempt = (await platform.GetAsync($"{Clusters}/{id}/plan/activity")).GetProperty("history").EnumerateArray().Single(a => a.GetProperty("plan_id").GetString() == planId);
        attempt.GetProperty("status").GetString().Should().Be("cancelled");
        attempt.GetProperty("steps").EnumerateArray().Should().Contain(s => s.GetProperty("step_id").GetString() == "rollback");
        (await AssignedAsync(id)).Should().BeEquivalentTo(before, "the new instances are unassigned");
        (await platform.SendAsync(HttpMethod.Delete, $"{Clusters}/{id}/plan/pending")).Status.Should().Be(404);
        await Eventually.AssertAsync(
            async () => await platform.PlansEndedAsync("cancelled") == cancelledBefore + 1,
            TimeSpan.FromSeconds(10),
            "cloud_constructor_plans_total{outcome=cancelled} counted the plan once");
    }

    [Fact]
    public async Task ShutdownThenDelete_DataKeptOnShutdownThenEverythingRemovedOnEveryHost_OtherClusterUntouched()
    {
        var creating = platform.CreateClusterAsync("shutdown", zones: 2);
        var other = await platform.CreateClusterAsync("bystander", zones: 1);
        var id = await creating;
        var dirs = DataDirs(await platform.GetAsync($"{Clusters}/{id}"), id);
        var bystanderDirs = DataDirs(await platform.GetAsync($"{Clusters}/{other}"), other);
        dirs.Should().HaveCount(2).And.OnlyContain(d => Directory.Exists(Path.Combine(d, "data")), "each instance has its data dir on its host");
        dirs.Select(Path.GetDirectoryName).Should().OnlyHaveUniqueItems("two hosts hold the cluster's data");
        (await platform.SendAsync(HttpMethod.Delete, $"{Clusters}/{id}")).Status.Should().Be(409, "a running cluster is shut down first");

        (await platform.SendAsync(HttpMethod.Post, $"{Clusters}/{id}/_shutdown")).Status.Should().Be(202);
        await Eventually.AssertAsync(
            async () => (await platform.GetAsync($"{Clusters}/{id}")).GetProperty("status").GetString() == "stopped",
            PlatformFixture.PlanWait,
            "the cluster stopped");
        var stopped = await platform.GetAsync($"{Clusters}/{id}");
        PlanScenarioTests.Instances(stopped).Should().OnlyContain(i => i.GetProperty("container_state").GetString() != "running" && !i.GetProperty("routable").GetBoolean());
        (await platform.GetAsync($"{Clusters}/{id}/routing")).GetProperty("routing_table").GetProperty("instances").GetArrayLength().Should().Be(0);
        dirs.Should().OnlyContain(d => Directory.Exists(Path.Combine(d, "data")), "a shutdown keeps the data");

        (await platform.SendAsync(HttpMethod.Delete, $"{Clusters}/{id}")).Status.Should().Be(200);

        (await platform.SendAsync(HttpMethod.Get, $"{Clusters}/{id}")).Status.Should().Be(404);
        (await AssignedAsync(id)).Should().BeEmpty();
        (await platform.ZooKeeperChildrenAsync(CloudPaths.Routing)).Should().NotContain(id);
        await Eventually.AssertAsync(
            async () => (await DockerEngine.CliAsync("ps", "-aq", "--filter", $"label=cloud.cluster-id={id}")).Length == 0,
            TimeSpan.FromSeconds(60),
            "the containers removed");
        await Eventually.AssertAsync(
            async () =>
            {
                var open = new List<string>();
                foreach (var allocator in await platform.ZooKeeperChildrenAsync(CloudPaths.AllocatorsPurge))
                {
                    open.AddRange((await platform.ZooKeeperChildrenAsync(CloudPaths.PurgesOf(allocator))).Where(c => c == id).Select(_ => allocator));
                }

                var left = platform.Hosts.Select(h => Path.Combine(h.DataRoot, h.HostId)).Where(Directory.Exists).SelectMany(d => Directory.EnumerateDirectories(d, id + "-*")).ToList();

                // Thrown, not returned false: a timeout then says what was left.
                return open.Count == 0 && left.Count == 0 ? true : throw new InvalidOperationException($"requests open on [{string.Join(',', open)}], data left in [{string.Join(',', left)}]");
            },
            TimeSpan.FromSeconds(60),
            "every host purged the cluster's data and closed its request");
        (await platform.ZooKeeperChildrenAsync(CloudPaths.AllocatorsPurge)).Should().Contain(dirs.Select(d => Path.GetFileName(Path.GetDirectoryName(d))!), "every allocator that held the cluster was asked");
        bystanderDirs.Should().ContainSingle().And.OnlyContain(d => Directory.Exists(Path.Combine(d, "data")), "another cluster's data is not touched");
        (await platform.GetAsync($"{Clusters}/{other}")).GetProperty("healthy").GetBoolean().Should().BeTrue();
    }

    /// <summary>Each instance's directory on its host: <c>&lt;data_root&gt;/&lt;allocator_id&gt;/&lt;cluster_id&gt;-&lt;instance_name&gt;</c> (src/Allocator/README.md).</summary>
    private List<string> DataDirs(JsonElement cluster, string clusterId) =>
        [.. PlanScenarioTests.Instances(cluster).Select(i =>
        {
            var host = platform.Hosts.Single(h => h.HostId == i.GetProperty("allocator_id").GetString());
            return Path.Combine(host.DataRoot, host.HostId, $"{clusterId}-{i.GetProperty("instance_name").GetString()}");
        })];

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
