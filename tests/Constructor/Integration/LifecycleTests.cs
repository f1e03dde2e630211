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

        var (status, accepted) = await platform.SendAsync(HttpMethod.Post, $"{Clusters}/{id}/plan", stuck);
        status.Should().Be(202, accepted.ToString());
        var planId = accepted.GetProperty("plan_id").GetString()!;
        await Eventually.AssertAsync(
            async () => (await platform.GetAsync($"{Clusters}/{id}/plan/activity")).GetProperty("current") is { ValueKind: JsonValueKind.Object } current
                && current.GetProperty("steps").EnumerateArray().Any(s => s.GetProperty("step_id").GetString() == "wait_for_new_instances" && s.GetProperty("status").GetString() == "running"),
            PlatformFixture.PlanWait,
            "the plan waiting for instances that cannot start");
        (await platform.GetAsync($"{Clusters}/{id}")).GetProperty("status").GetString().Should().Be("reconfiguring");

        (await platform.SendAsync(HttpMethod.Delete, $"{Clusters}/{id}/plan/pending")).Status.Should().Be(202);
        var after = await platform.WaitForPlanAsync(id);

        PlanScenarioTests.Names(after).Should().BeEquivalentTo(before);
        after.GetProperty("plan_info").GetProperty("history").EnumerateArray().Last().GetProperty("outcome").GetString().Should().Be("cancelled");
        var attempt = (await platform.GetAsync($"{Clusters}/{id}/plan/activity")).GetProperty("history").EnumerateArray().Single(a => a.GetProperty("plan_id").GetString() == planId);
        attempt.GetProperty("status").GetString().Should().Be("cancelled");
        attempt.GetProperty("steps").EnumerateArray().Should().Contain(s => s.GetProperty("step_id").GetString() == "rollback");
        (await AssignedAsync(id)).Should().BeEquivalentTo(before, "the new instances are unassigned");
        (await platform.SendAsync(HttpMethod.Delete, $"{Clusters}/{id}/plan/pending")).Status.Should().Be(404);
    }

    [Fact]
    public async Task ShutdownThenDelete_InstancesStoppedThenEverythingRemoved()
    {
        var id = await platform.CreateClusterAsync("shutdown", zones: 1);
        (await platform.SendAsync(HttpMethod.Delete, $"{Clusters}/{id}")).Status.Should().Be(409, "a running cluster is shut down first");

        (await platform.SendAsync(HttpMethod.Post, $"{Clusters}/{id}/_shutdown")).Status.Should().Be(202);
        await Eventually.AssertAsync(
            async () => (await platform.GetAsync($"{Clusters}/{id}")).GetProperty("status").GetString() == "stopped",
            PlatformFixture.PlanWait,
            "the cluster stopped");
        var stopped = await platform.GetAsync($"{Clusters}/{id}");
        PlanScenarioTests.Instances(stopped).Should().OnlyContain(i => i.GetProperty("container_state").GetString() != "running" && !i.GetProperty("routable").GetBoolean());
        (await platform.GetAsync($"{Clusters}/{id}/routing")).GetProperty("routing_table").GetProperty("instances").GetArrayLength().Should().Be(0);

        (await platform.SendAsync(HttpMethod.Delete, $"{Clusters}/{id}")).Status.Should().Be(200);

        (await platform.SendAsync(HttpMethod.Get, $"{Clusters}/{id}")).Status.Should().Be(404);
        (await AssignedAsync(id)).Should().BeEmpty();
        (await platform.ZooKeeperChildrenAsync(CloudPaths.Routing)).Should().NotContain(id);
        await Eventually.AssertAsync(
            async () => (await DockerEngine.CliAsync("ps", "-aq", "--filter", $"label=cloud.cluster-id={id}")).Length == 0,
            TimeSpan.FromSeconds(60),
            "the containers removed");
    }

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
