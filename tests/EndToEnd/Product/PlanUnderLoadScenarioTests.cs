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
/// Plans and failures on one three-zone cluster while an application reads and writes through the proxy
/// the whole time (issue 19): grow-and-shrink to bigger nodes, a rolling version change, the leading
/// constructor killed mid-plan, a whole host killed. After each: no read failed, every acknowledged write
/// is there, the cluster is green. The scenarios share the cluster (and run in order) to keep the suite short.
/// </summary>
[Collection(PlatformCollection.Name)]
[Trait("Category", "Integration")]
[TestCaseOrderer(ScenarioOrderer.TypeName, ScenarioOrderer.AssemblyName)]
public sealed class PlanUnderLoadScenarioTests(PlatformFixture fixture, ITestOutputHelper output) : ScenarioBase(fixture, output)
{
    private const string ClusterName = "e2e-load";
    private const string Index = "orders";

    [Fact]
    [Scenario(Order = 10)]
    public async Task GrowAndShrink_ToBiggerNodes_UnderReaderAndWriter_NoFailedReadNothingLost()
    {
        var clusterId = await LoadClusterAsync();
        var before = await InstanceNamesAsync(clusterId);

        var after = await RunUnderLoadAsync(clusterId, () => SubmitAsync(clusterId, Plans.ThreeZones(memoryPerNode: 768)));

        var instances = after["topology"]!["instances"]!.AsArray();
        instances.Should().HaveCount(3).And.OnlyContain(i => i!["memory_mb"]!.GetValue<long>() == 768);
        (await InstanceNamesAsync(clusterId)).Should().NotIntersectWith(before, "grow-and-shrink replaces every instance");
    }

    [Fact]
    [Scenario(Order = 11)]
    public async Task RollingVersionChange_UnderReaderAndWriter_NoFailedReadNothingLost()
    {
        var clusterId = await LoadClusterAsync();
        var memory = (await Api.GetClusterAsync(clusterId)).Body["topology"]!["instances"]![0]!["memory_mb"]!.GetValue<int>();
        var plan = Plans.ThreeZones(version: "8.16.0", memoryPerNode: memory);
        plan["transient"] = new JsonObject { ["strategy"] = "rolling", ["rolling"] = new JsonObject { ["group_by"] = "__zone__" } };

        var after = await RunUnderLoadAsync(clusterId, () => SubmitAsync(clusterId, plan));

        after["topology"]!["instances"]!.AsArray().Should().OnlyContain(i => i!["service_version"]!.GetValue<string>() == "8.16.0");
        using var client = new ClusterClient(Platform.ProxyPort, clusterId);
        (await client.GetAsync("/")).Json["version"]!["number"]!.GetValue<string>().Should().Be("8.16.0");
    }

    [Fact]
    [Scenario(Order = 12)]
    public async Task LeadingConstructorKilledMidPlan_TheStandbyFinishesIt_NothingLost()
    {
        var clusterId = await LoadClusterAsync();
        var before = await InstanceNamesAsync(clusterId);
        var leader = await LeaderAsync();

        var after = await RunUnderLoadAsync(clusterId, async () =>
        {
            await SubmitAsync(clusterId, Plans.ThreeZones(version: "8.16.0", memoryPerNode: 512));
            // Killed once new instances run and shards are moving: the middle of the plan, where a lost step would lose data or instances.
            await Eventually.AssertAsync(
                async () => (await RunningStepAsync(clusterId)) is "exclude_old_from_allocation" or "wait_for_shard_migration" or "update_routing" or "drain",
                PlatformFixture.PlanTimeout,
                "the plan to reach shard migration");
            Output.WriteLine($"killing leading constructor {Platform.ConstructorId(leader)} during {await RunningStepAsync(clusterId)}");
            await leader.Process.KillAsync();
        });

        var names = await InstanceNamesAsync(clusterId);
        names.Should().HaveCount(3).And.NotIntersectWith(before).And.OnlyHaveUniqueItems();
        after["topology"]!["instances"]!.AsArray().Should().OnlyContain(i => i!["memory_mb"]!.GetValue<long>() == 512);
        var running = await DockerEngine.CliAsync("ps", "--format", "{{.Names}}", "--filter", "name=es-" + clusterId.ToLowerInvariant() + "-");
        running.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(3, "exactly the plan's instances run: none duplicated, none left behind");
        var attempts = (await Api.ActivityAsync(clusterId)).Body["history"]!.AsArray();
        attempts.Last()!["status"]!.GetValue<string>().Should().Be("success", attempts.Last()!.ToJsonString());

        // A platform has a standby again for later scenarios.
        Platform.StartConstructor();
    }

    [Fact]
    [Scenario(Order = 13)]
    public async Task HostKilledWithItsContainers_ClusterServesFromOtherZones_ReplacedInTheSameZone_NothingLost()
    {
        var clusterId = await LoadClusterAsync();
        var cluster = (await Api.GetClusterAsync(clusterId)).Body;
        // Zone 3 has a spare host for remediation to rebuild on.
        var victim = cluster["topology"]!["instances"]!.AsArray().Single(i => i!["zone"]!.GetValue<string>() == "zone-3")!;
        var host = Platform.Hosts.Single(h => h.HostId == victim["allocator_id"]!.GetValue<string>());
        var lostInstance = victim["instance_name"]!.GetValue<string>();

        JsonNode after;
        try
        {
            after = await RunUnderLoadAsync(clusterId, async () =>
            {
                await host.KillWithContainersAsync();
                await Eventually.AssertAsync(
                    async () => (await Api.GetClusterAsync(clusterId)).Json?["healthy"]?.GetValue<bool>() == false,
                    TimeSpan.FromMinutes(1),
                    "the cluster shown unhealthy once its host is gone");
            });
        }
        finally
        {
            await Platform.RestartHostAsync(host);
        }

        var replacement = after["topology"]!["instances"]!.AsArray().Single(i => i!["zone"]!.GetValue<string>() == "zone-3")!;
        replacement["instance_name"]!.GetValue<string>().Should().NotBe(lostInstance);
        replacement["allocator_id"]!.GetValue<string>().Should().NotBe(host.HostId);
        after["plan_info"]!["current"]!["source"]!.GetValue<string>().Should().StartWith("remediation:");
    }

    /// <summary>
    /// Runs <paramref name="change"/> while a writer and a reader use the cluster through the proxy, waits for the
    /// plan to finish and the cluster to be green, then checks that no read failed and no acknowledged write is missing.
    /// </summary>
    private async Task<JsonNode> RunUnderLoadAsync(string clusterId, Func<Task> change)
    {
        using var client = new ClusterClient(Platform.ProxyPort, clusterId);
        var countBefore = await client.CountAsync(Index);
        JsonNode after;
        IReadOnlyList<string> missing;
        await using (var traffic = TrafficRecorder.Start(client, Index))
        {
            // Traffic before the change, so a failure that only a running application meets is seen.
            await Eventually.AssertAsync(() => Task.FromResult(traffic.Acknowledged.Count >= 20), TimeSpan.FromSeconds(60), "the writer to be acknowledged");
            var watch = Stopwatch.StartNew();
            await change();
            after = await WaitForPlanThroughAsync(Api, clusterId);
            await WaitForGreenAsync(client);
            Output.WriteLine($"change done and green in {watch.Elapsed.TotalSeconds:F1} s");
            await traffic.StopAsync();
            Output.WriteLine($"{traffic.Reads} reads, {traffic.Acknowledged.Count} acknowledged writes, {traffic.FailedWrites.Count} failed writes");
            foreach (var failed in traffic.FailedWrites.Take(5))
            {
                Output.WriteLine("failed write (not promised): " + failed);
            }

            traffic.FailedReads.Should().BeEmpty("a reader through the proxy sees no error while a plan runs");
            missing = await traffic.MissingAcknowledgedAsync();
            missing.Should().BeEmpty("every acknowledged write survives");
        }

        (await client.CountAsync(Index)).Should().BeGreaterThanOrEqualTo(countBefore, "documents indexed before the change are all still there");
        return after;
    }

    private async Task<string> LoadClusterAsync()
    {
        var list = (await Api.ListClustersAsync()).Body["elasticsearch_clusters"]!.AsArray();
        var existing = list.FirstOrDefault(c => c?["cluster_name"]?.GetValue<string>() == ClusterName);
        if (existing is not null)
        {
            return existing["cluster_id"]!.GetValue<string>();
        }

        var clusterId = await Fixture.CreateHealthyClusterAsync(ClusterName, Plans.ThreeZones());
        using var client = new ClusterClient(Platform.ProxyPort, clusterId);
        var created = await client.SendAsync(HttpMethod.Put, "/" + Index, "{\"settings\":{\"number_of_shards\":3,\"number_of_replicas\":1}}");
        created.EnsureOk();
        await client.BulkIndexAsync(Index, 0, 500);
        await WaitForGreenAsync(client);
        return clusterId;
    }

    private async Task SubmitAsync(string clusterId, JsonObject plan)
    {
        var accepted = await Api.SubmitPlanAsync(clusterId, plan);
        accepted.Status.Should().Be(HttpStatusCode.Accepted, accepted.ToString());
    }

    private async Task<string?> RunningStepAsync(string clusterId)
    {
        var activity = await Api.ActivityAsync(clusterId);
        return activity.Json?["current"]?["steps"]?.AsArray()
            .LastOrDefault(s => s?["status"]?.GetValue<string>() is "running" or "success")?["step_id"]?.GetValue<string>();
    }

    private static Task WaitForGreenAsync(ClusterClient client) =>
        Eventually.AssertAsync(
            async () => (await client.GetAsync("/_cluster/health")).Json["status"]?.GetValue<string>() == "green",
            TimeSpan.FromMinutes(3),
            "the cluster green through the proxy");
}
