using System.Globalization;
using System.Text;
using System.Text.Json;
using Cloud.Constructor.Tests.Support;
using Cloud.Shared.Coordination;
using FluentAssertions;
using Xunit;

namespace Cloud.Constructor.Tests.Integration;

/// <summary>
/// A grow and shrink that fails after its shards moved to the new instances (the leader runs with the test
/// hook <c>Constructor:FailAfterStep</c>, which records the step as failed once it has done its work) rolls
/// back inside the cluster too: the shards return to the old instances before the new ones are removed, the
/// allocation exclusion (and the voting exclusions, when that step ran) are lifted, no document is lost.
/// </summary>
[Collection(LeaderCrashCollection.Name)]
[Trait("Category", "Integration")]
public sealed class RollbackTests(LeaderCrashPlatformFixture platform)
{
    private const int Documents = 60;

    public static TheoryData<string> FailingSteps => new()
    {
        "wait_for_shard_migration",
        "exclude_old_masters_from_voting",
    };

    [Theory]
    [MemberData(nameof(FailingSteps))]
    public async Task GrowAndShrink_FailsAfterShardsMoved_ShardsBackOnOldInstancesExclusionsLiftedNothingLost(string step)
    {
        var id = await platform.ClusterAsync();
        var before = await platform.GetAsync($"/api/v1/clusters/elasticsearch/{id}");
        var old = PlanScenarioTests.Names(before);
        var memory = PlanScenarioTests.Instances(before)[0].GetProperty("memory_mb").GetInt64() == 1024 ? 1536 : 1024;
        var index = "rollback-" + Guid.NewGuid().ToString("N")[..6];
        using (var node = NodeClient(before))
        {
            await SendAsync(node, HttpMethod.Put, $"/{index}", """{"settings":{"number_of_shards":3,"number_of_replicas":1}}""");
            var bulk = new StringBuilder();
            for (var i = 0; i < Documents; i++)
            {
                bulk.Append(CultureInfo.InvariantCulture, $"{{\"index\":{{\"_id\":\"{i}\"}}}}\n{{\"n\":{i}}}\n");
            }

            await SendAsync(node, HttpMethod.Post, $"/{index}/_bulk?refresh=true", bulk.ToString(), "application/x-ndjson");
        }

        var failing = await platform.StartStandbyConstructorAsync(failAfterStep: step);
        await platform.UseConstructorAsync(failing);
        await platform.WaitForLeaderAsync(failing.Id);
        var next = await platform.StartStandbyConstructorAsync();
        using var failingApi = new HttpClient { BaseAddress = failing.Process.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        string planId;
        List<string> planned;
        double rolledBack;
        try
        {
            var (status, accepted) = await platform.SendAsync(HttpMethod.Post, $"/api/v1/clusters/elasticsearch/{id}/plan", PlanBodies.Plan(memory: memory));
            status.Should().Be(202, accepted.ToString());
            planId = accepted.GetProperty("plan_id").GetString()!;
            planned = [.. accepted.GetProperty("instances").EnumerateArray().Select(i => i.GetProperty("instance_name").GetString()!)];
            await platform.WaitForPlanAsync(id);
            rolledBack = await platform.PlansEndedAsync("rolled_back", client: failingApi);
        }
        finally
        {
            // The next test starts from one constructor, leading, without the hook.
            await platform.UseConstructorAsync(next);
        }

        var after = await platform.GetAsync($"/api/v1/clusters/elasticsearch/{id}");
        after.GetProperty("plan_info").GetProperty("history").EnumerateArray().Last().GetProperty("outcome").GetString().Should().Be("error");
        after.GetProperty("plan_info").GetProperty("current").GetProperty("plan_id").GetString().Should().NotBe(planId);
        PlanScenarioTests.Names(after).Should().BeEquivalentTo(old, "the cluster is back on its old instances");
        var attempt = (await platform.GetAsync($"/api/v1/clusters/elasticsearch/{id}/plan/activity")).GetProperty("history").EnumerateArray().Last();
        attempt.GetProperty("plan_id").GetString().Should().Be(planId);
        attempt.GetProperty("status").GetString().Should().Be("error");
        var steps = attempt.GetProperty("steps").EnumerateArray().ToDictionary(s => s.GetProperty("step_id").GetString()!, s => s);
        steps["wait_for_shard_migration"].GetProperty("info_log").ToString().Should().Contain("no shard left on", "the shards had moved to the new instances");
        var rollbackLog = steps["rollback"].GetProperty("info_log").ToString();
        rollbackLog.Should().Contain("no shard left on").And.Contain("cluster.routing.allocation.exclude._name cleared").And.NotContain("not done")
            .And.Contain("votes back to the current masters", "new masters may hold votes as soon as they join")
            .And.Contain("voting exclusions cleared (the excluded nodes left)");
        if (step == "exclude_old_masters_from_voting")
        {
            rollbackLog.Should().Contain("voting exclusions of the current masters cleared");
        }

        var assigned = new List<string>();
        foreach (var allocator in await platform.ZooKeeperChildrenAsync(CloudPaths.AllocatorsWork))
        {
            assigned.AddRange((await platform.ZooKeeperChildrenAsync(CloudPaths.WorkOf(allocator))).Where(n => n.StartsWith(id + "-", StringComparison.Ordinal)).Select(n => n[(id.Length + 1)..]));
        }

        assigned.Should().BeEquivalentTo(old, "the new instances are unassigned");
        using (var node = NodeClient(after))
        {
            // The platform calls an instance healthy when it answers; the cluster may still be recovering copies.
            await SendAsync(node, HttpMethod.Get, $"/_cluster/health/{index}?wait_for_status=green&timeout=60s");
            var settings = JsonDocument.Parse(await SendAsync(node, HttpMethod.Get, "/_cluster/settings")).RootElement;
            settings.GetProperty("persistent").ToString().Should().NotContain("exclude", "the allocation exclusion is lifted, so shards may live on the old instances again");
            var state = JsonDocument.Parse(await SendAsync(node, HttpMethod.Get, "/_cluster/state")).RootElement;
            state.GetProperty("metadata").GetProperty("cluster_coordination").GetProperty("voting_config_exclusions").GetArrayLength().Should().Be(0);

            // Each node is asked for the copies it holds: the Elasticsearch-compatible node names only its own
            // copies reliably in _cat/shards after relocations (others may show as unassigned), so the cluster's
            // placement is the union of what every old instance reports about itself.
            var held = new List<(string Shard, string Prirep, string Node)>();
            var views = new StringBuilder();
            foreach (var instance in PlanScenarioTests.Instances(after))
            {
                var name = instance.GetProperty("instance_name").GetString()!;
                using var each = new HttpClient { BaseAddress = new Uri($"http://{instance.GetProperty("host").GetString()}:{instance.GetProperty("http_port").GetInt32()}"), Timeout = TimeSpan.FromSeconds(10) };
                var view = await SendAsync(each, HttpMethod.Get, $"/_cat/shards/{index}?format=json&h=index,shard,prirep,state,node");
                views.Append(CultureInfo.InvariantCulture, $"\n{name} reports {view}");
                foreach (var copy in JsonDocument.Parse(view).RootElement.EnumerateArray())
                {
                    planned.Except(old).Should().NotContain(copy.GetProperty("node").GetString(), "no copy may be left on a removed instance");
                    if (copy.GetProperty("node").GetString() == name && copy.GetProperty("state").GetString() == "STARTED")
                    {
                        held.Add((copy.GetProperty("shard").GetString()!, copy.GetProperty("prirep").GetString()!, name));
                    }
                }
            }

            held.Select(h => h.Shard).Distinct().Should().BeEquivalentTo(["0", "1", "2"], $"every shard has a started copy on an old instance; rollback: {rollbackLog}; views: {views}");
            held.Select(h => (h.Shard, h.Node)).Should().OnlyHaveUniqueItems();
            JsonDocument.Parse(await SendAsync(node, HttpMethod.Get, $"/{index}/_count")).RootElement.GetProperty("count").GetInt64().Should().Be(Documents, "no document lost");
        }

        planned.Except(old).Should().NotBeEmpty("the plan had new instances to roll back");
        rolledBack.Should().Be(1, "cloud_constructor_plans_total{outcome=rolled_back} on the leader that rolled back");
    }

    /// <summary>Straight to one of the cluster's running instances (not through the proxy).</summary>
    private static HttpClient NodeClient(JsonElement cluster)
    {
        var instance = PlanScenarioTests.Instances(cluster).First(i => i.GetProperty("container_state").GetString() == "running");
        return new HttpClient
        {
            BaseAddress = new Uri($"http://{instance.GetProperty("host").GetString()}:{instance.GetProperty("http_port").GetInt32()}"),
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    private static async Task<string> SendAsync(HttpClient node, HttpMethod method, string path, string? body = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, contentType);
        }

        using var response = await node.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{method} {path}: {(int)response.StatusCode} {text}");
        }

        return text;
    }
}
