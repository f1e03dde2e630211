using Cloud.Constructor.Tests.Support;
using Cloud.Shared.Coordination;
using Cloud.Testing;
using FluentAssertions;
using Xunit;

namespace Cloud.Constructor.Tests.Integration;

/// <summary>
/// The leading constructor dies right after each step of a grow-and-shrink is recorded (the
/// <c>Constructor:CrashAfterStep</c> hook kills the process); the constructor next in line takes the
/// lead once the dead one's session expires, resumes at the next step, and the plan finishes exactly
/// once with exactly its instances.
/// </summary>
[Collection(LeaderCrashCollection.Name)]
[Trait("Category", "Integration")]
public sealed class LeaderCrashTests(LeaderCrashPlatformFixture platform)
{
    public static TheoryData<string> Boundaries => new()
    {
        "verify_version_compatibility",
        "snapshot",
        "start_new_instances",
        "wait_for_new_instances",
        "exclude_old_from_allocation",
        "wait_for_shard_migration",
        "update_routing",
        "drain",
        "exclude_old_masters_from_voting",
        "stop_old_instances",
        "clean_up",
        "record_plan",
    };

    [Theory]
    [MemberData(nameof(Boundaries))]
    public async Task GrowAndShrink_LeaderKilledAfterStep_NewLeaderFinishesThePlanExactlyOnce(string step)
    {
        var id = await platform.ClusterAsync();
        var before = await platform.GetAsync($"/api/v1/clusters/elasticsearch/{id}");
        var memory = PlanScenarioTests.Instances(before)[0].GetProperty("memory_mb").GetInt64() == 1024 ? 1536 : 1024;

        // The constructor that will crash takes the lead from the one so far; the one that resumes waits in line behind it.
        var crashing = await platform.StartStandbyConstructorAsync(crashAfterStep: step);
        await platform.UseConstructorAsync(crashing);
        await platform.WaitForLeaderAsync(crashing.Id);
        var resuming = await platform.StartStandbyConstructorAsync();
        string planId;
        List<string> planned;
        try
        {
            var (status, accepted) = await platform.SendAsync(HttpMethod.Post, $"/api/v1/clusters/elasticsearch/{id}/plan", PlanBodies.Plan(memory: memory));
            status.Should().Be(202, accepted.ToString());
            planId = accepted.GetProperty("plan_id").GetString()!;
            planned = [.. accepted.GetProperty("instances").EnumerateArray().Select(i => i.GetProperty("instance_name").GetString()!)];
            if (!await crashing.Process.Process.WaitForExitAsync(PlatformFixture.PlanWait))
            {
                Assert.Fail($"the leader did not kill itself after {step}; the plan so far: {await platform.LatestAttemptAsync(id)}");
            }
        }
        finally
        {
            // Whatever happened, the next test starts from one constructor, leading.
            await platform.UseConstructorAsync(resuming);
        }
        var after = await platform.WaitForPlanAsync(id);

        after.GetProperty("plan_info").GetProperty("current").GetProperty("plan_id").GetString().Should().Be(planId);
        after.GetProperty("plan_info").GetProperty("history").EnumerateArray()
            .Count(h => h.GetProperty("plan_id").GetString() == planId).Should().Be(1, "the plan is recorded once");
        PlanScenarioTests.Names(after).Should().BeEquivalentTo(planned);
        PlanScenarioTests.Instances(after).Should().OnlyContain(i => i.GetProperty("memory_mb").GetInt64() == memory);

        var activity = await platform.GetAsync($"/api/v1/clusters/elasticsearch/{id}/plan/activity");
        var attempts = activity.GetProperty("history").EnumerateArray().Where(a => a.GetProperty("plan_id").GetString() == planId).ToList();
        attempts.Should().ContainSingle("a resumed attempt goes on, it does not start over");
        var attempt = attempts[0];
        attempt.GetProperty("status").GetString().Should().Be("success");
        var steps = attempt.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("step_id").GetString()).ToList();
        steps.Should().OnlyHaveUniqueItems().And.Contain(step);
        if (step != "record_plan")
        {
            attempt.GetProperty("executed_by").EnumerateArray().Should().HaveCount(2, "the second leader resumed the attempt");
        }

        // One trace for the attempt, across both leaders: the resuming one continues the trace the first one began.
        var traceId = attempt.GetProperty("trace_id").GetString();
        StepLog.Of(crashing.Process.Process.Output, id).Should().NotBeEmpty().And.OnlyContain(s => s.TraceId == traceId);
        var resumedSteps = StepLog.Of(resuming.Process.Process.Output, id);
        resumedSteps.Where(s => s.TraceId != traceId).Should().BeEmpty("the resuming leader continues the attempt's trace");
        if (step is not ("clean_up" or "record_plan"))
        {
            resumedSteps.Should().NotBeEmpty("steps were left for the resuming leader");
        }

        var assigned = new List<string>();
        foreach (var allocator in await platform.ZooKeeperChildrenAsync(CloudPaths.AllocatorsWork))
        {
            assigned.AddRange((await platform.ZooKeeperChildrenAsync(CloudPaths.WorkOf(allocator))).Where(n => n.StartsWith(id + "-", StringComparison.Ordinal)));
        }

        assigned.Should().BeEquivalentTo(planned.Select(n => $"{id}-{n}"), "no instance duplicated, none lost");
        await Eventually.AssertAsync(
            async () => (await DockerEngine.CliAsync("ps", "-q", "--filter", $"label=cloud.cluster-id={id}")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length == planned.Count,
            TimeSpan.FromSeconds(60),
            "exactly the plan's containers running");
        (await platform.GetAsync($"/api/v1/clusters/elasticsearch/{id}/routing")).GetProperty("routing_table").GetProperty("instances")
            .EnumerateArray().Select(e => e.GetString()).Should().BeEquivalentTo(planned);
    }
}
