using System.Collections.Immutable;
using System.Text;
using Cloud.Constructor.Clusters;
using Cloud.Constructor.Plans;
using Cloud.Constructor.Validation;
using FluentAssertions;
using Xunit;
using static Cloud.Constructor.Tests.Placement.Allocators;

namespace Cloud.Constructor.Tests.Execution;

public sealed class PlanAcceptanceTests
{
    private static readonly string[] Versions = ["8.15.0", "8.16.0"];

    private static PlanSpec Plan(string version = "8.15.0", int memory = 1024, string? transient = null) =>
        StrictJson.Read<PlanSpec>(Encoding.UTF8.GetBytes($$"""{"elasticsearch":{"version":"{{version}}"},"cluster_topology":[{"memory_per_node":{{memory}},"zone_count":3}]{{(transient is null ? "" : ",\"transient\":" + transient)}}}""")).Value!;

    private static ClusterPlans Running(PlanSpec plan)
    {
        var created = PlanAcceptance.Accept(new PlanAcceptanceRequest(plan, null, Grid(3, 3), Versions, "p1", "api", DateTimeOffset.UnixEpoch));
        return new ClusterPlans { Current = created.Pending, NextInstanceNumber = created.NextInstanceNumber };
    }

    private static PlanAcceptanceResult Change(ClusterPlans plans, PlanSpec plan) =>
        PlanAcceptance.Accept(new PlanAcceptanceRequest(plan, plans, Grid(3, 3), Versions, "p2", "api", DateTimeOffset.UnixEpoch, string.Empty));

    [Fact]
    public void Accept_NewCluster_GrowAndShrinkWithDefaultTimeoutOfFourSecondsPerMb()
    {
        var result = PlanAcceptance.Accept(new PlanAcceptanceRequest(Plan(memory: 2048), null, Grid(3, 3), Versions, "p1", "api", DateTimeOffset.UnixEpoch));

        result.Pending!.Strategy.Should().Be(PlanStrategies.GrowAndShrink);
        result.Pending.TimeoutSeconds.Should().Be(8192);
        result.Pending.Instances.Should().HaveCount(3);
        result.NextInstanceNumber.Should().Be(4);
    }

    [Fact]
    public void Accept_AutodetectVersionOnly_RollingInPlace()
    {
        var current = Running(Plan());

        var result = Change(current, Plan("8.16.0", transient: """{"strategy":"autodetect"}"""));

        result.Pending!.Strategy.Should().Be(PlanStrategies.Rolling);
        result.Pending.Instances.Select(i => i.InstanceName).Should().Equal(current.Current!.Instances.Select(i => i.InstanceName));
    }

    [Fact]
    public void Accept_GrowAndShrinkVersionChange_NewInstancesWithNewNames()
    {
        var current = Running(Plan());

        var result = Change(current, Plan("8.16.0"));

        result.Pending!.Instances.Select(i => i.InstanceName).Should().Equal("instance-0000000004", "instance-0000000005", "instance-0000000006");
    }

    [Fact]
    public void Accept_SameTopologyAgain_KeepsEveryInstance()
    {
        var current = Running(Plan());

        var result = Change(current, Plan());

        result.Pending!.Instances.Select(i => i.InstanceName).Should().Equal(current.Current!.Instances.Select(i => i.InstanceName));
    }

    [Fact]
    public void Accept_TwoPhase_FirstPhaseAtOldVersionRemembersTheNext()
    {
        var current = Running(Plan());

        var result = Change(current, Plan("8.16.0", 2048, """{"plan_configuration":{"two_phase":true}}"""));

        result.Pending!.Plan.Version.Should().Be("8.15.0");
        result.Pending.NextPhaseVersion.Should().Be("8.16.0");
        result.Pending.Strategy.Should().Be(PlanStrategies.GrowAndShrink);
        result.Pending.Instances.Should().OnlyContain(i => i.MemoryMb == 2048);
    }

    [Fact]
    public void Accept_ExcludedAllocator_OnlyItsInstanceMoves()
    {
        var current = Running(Plan());
        var leaving = current.Current!.Instances[0];

        var result = PlanAcceptance.Accept(new PlanAcceptanceRequest(Plan(), current, Grid(3, 3), Versions, "p2", "vacate", DateTimeOffset.UnixEpoch) { ExcludedAllocators = [leaving.AllocatorId] });

        var moved = result.Pending!.Instances.Where(i => i.InstanceName == "instance-0000000004").Should().ContainSingle().Subject;
        moved.Zone.Should().Be(leaving.Zone);
        moved.AllocatorId.Should().NotBe(leaving.AllocatorId);
        result.Pending.Instances.Select(i => i.InstanceName).Should().NotContain(leaving.InstanceName);
        result.Pending.Instances.Should().HaveCount(3);
    }
}
