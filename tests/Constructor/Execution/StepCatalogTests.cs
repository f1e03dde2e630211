using System.Collections.Immutable;
using Cloud.Constructor.Clusters;
using Cloud.Constructor.Execution;
using Cloud.Constructor.Plans;
using FluentAssertions;
using Xunit;

namespace Cloud.Constructor.Tests.Execution;

public sealed class StepCatalogTests
{
    private static PlannedInstance Instance(int n, string zone) => new() { InstanceName = $"instance-{n:D10}", AllocatorId = $"a{n}", Zone = zone, MemoryMb = 1024 };

    private static PlanRecord Record(string strategy, string? groupBy = null, params PlannedInstance[] instances) => new()
    {
        PlanId = "p",
        Strategy = strategy,
        Plan = new PlanSpec { Transient = new TransientSpec { Rolling = groupBy is null ? null : new RollingSpec { GroupBy = groupBy } } },
        Instances = [.. instances],
    };

    [Fact]
    public void StepsFor_GrowAndShrink_TheSequenceOfDesign()
    {
        StepCatalog.StepsFor(Record(PlanStrategies.GrowAndShrink, null, Instance(4, "z1")), Record(PlanStrategies.GrowAndShrink, null, Instance(1, "z1"))).Should().Equal(
            "verify_version_compatibility", "snapshot", "start_new_instances", "wait_for_new_instances", "exclude_old_from_allocation",
            "wait_for_shard_migration", "update_routing", "drain", "exclude_old_masters_from_voting", "stop_old_instances", "clean_up", "record_plan");
    }

    [Fact]
    public void StepsFor_RollingGrowAndShrink_OneNewInstanceAtATime()
    {
        var steps = StepCatalog.StepsFor(Record(PlanStrategies.RollingGrowAndShrink, null, Instance(4, "z1"), Instance(5, "z2")), Record(PlanStrategies.GrowAndShrink, null, Instance(1, "z1")));

        steps.Skip(2).Take(4).Should().Equal("start_instance:instance-0000000004", "wait_for_instance:instance-0000000004", "start_instance:instance-0000000005", "wait_for_instance:instance-0000000005");
        steps.Should().EndWith(["stop_old_instances", "clean_up", "record_plan"]);
    }

    [Theory]
    [InlineData(null, new[] { "rolling_restart:z1", "rolling_restart:z2" })]
    [InlineData("__zone__", new[] { "rolling_restart:z1", "rolling_restart:z2" })]
    [InlineData("__all__", new[] { "rolling_restart:all" })]
    [InlineData("__name__", new[] { "rolling_restart:instance-0000000001", "rolling_restart:instance-0000000002", "rolling_restart:instance-0000000003" })]
    public void StepsFor_Rolling_OneGroupAtATime(string? groupBy, string[] groups)
    {
        var plan = Record(PlanStrategies.Rolling, groupBy, Instance(1, "z1"), Instance(2, "z2"), Instance(3, "z1"));

        StepCatalog.StepsFor(plan, plan).Should().Equal(["verify_version_compatibility", "snapshot", .. groups, "update_routing", "record_plan"]);
    }

    [Fact]
    public void StepsFor_Shutdown_RoutingFirstThenStop()
    {
        var current = Record(PlanStrategies.GrowAndShrink, null, Instance(1, "z1"));

        StepCatalog.StepsFor(current with { Kind = PlanKinds.Shutdown }, current).Should().Equal("update_routing", "stop_instances", "wait_for_stopped", "record_plan");
    }
}
