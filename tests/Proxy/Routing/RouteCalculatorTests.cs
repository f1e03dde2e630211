using Cloud.Proxy.Routing;
using Cloud.Shared.Containers;
using Cloud.Shared.Routing;
using FluentAssertions;
using Xunit;
using static Cloud.Proxy.Tests.Routing.Inputs;

namespace Cloud.Proxy.Tests.Routing;

public sealed class RouteCalculatorTests
{
    private static string[] Names(RouteDecision decision) => [.. decision.Instances.Select(i => i.InstanceName)];

    [Fact]
    public void Compute_HealthyInstancesWithoutRoutingNode_AllRoutable()
    {
        var decision = RouteCalculator.Compute(Cluster("c1", Instance("i1"), Instance("i0")), Live("a1"), Now);

        decision.Kind.Should().Be(RouteKind.Forward);
        Names(decision).Should().Equal("i0", "i1");
        decision.Reason.Should().BeNull();
        decision.AllowedSources.Should().BeNull();
    }

    [Theory]
    [InlineData(ContainerStates.Exited, true, "a1")]
    [InlineData(ContainerStates.Running, false, "a1")]
    [InlineData(ContainerStates.Running, true, "gone")]
    public void Compute_NotRunningUnreachableOrDeadAllocator_NotRoutable(string state, bool reachable, string allocator)
    {
        var decision = RouteCalculator.Compute(Cluster("c1", Instance("i0", state: state, reachable: reachable, allocator: allocator), Instance("i1")), Live("a1"), Now);

        Names(decision).Should().Equal("i1");
    }

    [Fact]
    public void Compute_RoutingNode_NarrowsToListedAndNotInMaintenance()
    {
        var inputs = Cluster("c1", Instance("i0"), Instance("i1"), Instance("i2")) with
        {
            Table = new RoutingTable { ClusterId = "c1", Instances = ["i0", "i1", "unknown"], Maintenance = ["i1"] },
        };

        Names(RouteCalculator.Compute(inputs, Live("a1"), Now)).Should().Equal("i0");
    }

    [Fact]
    public void Compute_NothingRoutable_ReasonSaysWhy()
    {
        var decision = RouteCalculator.Compute(Cluster("c1", Instance("i0", reachable: false)), Live("a1"), Now);

        decision.Instances.Should().BeEmpty();
        decision.Reason.Should().Contain("no routable instance");
        RouteCalculator.Compute(ClusterInputs.Empty("c2") with { Table = new RoutingTable { ClusterId = "c2" } }, Live(), Now).Reason.Should().Contain("has no instances");
    }

    [Fact]
    public void Compute_Exclude_TakesListedOut()
    {
        var inputs = Cluster("c1", Instance("i0"), Instance("i1")).With("o1", Override(RoutingOverrideActions.Exclude, ["i0"]));

        var decision = RouteCalculator.Compute(inputs, Live("a1"), Now);

        Names(decision).Should().Equal("i1");
        decision.ActiveOverrides.Should().Equal("o1");
    }

    [Fact]
    public void Compute_Pin_OnlyPinnedInstances()
    {
        var inputs = Cluster("c1", Instance("i0"), Instance("i1"), Instance("i2")).With("o1", Override(RoutingOverrideActions.Pin, ["i2", "i0"]));

        Names(RouteCalculator.Compute(inputs, Live("a1"), Now)).Should().Equal("i0", "i2");
    }

    [Fact]
    public void Compute_PinOfUnhealthyInstance_NothingRoutableWithReason()
    {
        var inputs = Cluster("c1", Instance("i0", reachable: false), Instance("i1")).With("o1", Override(RoutingOverrideActions.Pin, ["i0"]));

        var decision = RouteCalculator.Compute(inputs, Live("a1"), Now);

        decision.Instances.Should().BeEmpty();
        decision.Reason.Should().Contain("pin");
    }

    [Fact]
    public void Compute_Block_BeatsEverything()
    {
        var inputs = Cluster("c1", Instance("i0"))
            .With("o1", Override(RoutingOverrideActions.Redirect, target: "c2"))
            .With("o2", Override(RoutingOverrideActions.Block));

        var decision = RouteCalculator.Compute(inputs, Live("a1"), Now);

        decision.Kind.Should().Be(RouteKind.Blocked);
        decision.Reason.Should().Contain("o2").And.Contain("incident: block");
    }

    [Fact]
    public void Compute_Redirect_PointsAtTarget()
    {
        var decision = RouteCalculator.Compute(Cluster("c1", Instance("i0")).With("o1", Override(RoutingOverrideActions.Redirect, target: "c2")), Live("a1"), Now);

        decision.Kind.Should().Be(RouteKind.Redirect);
        decision.RedirectTo.Should().Be("c2");
    }

    [Fact]
    public void Compute_ExpiredOverride_NoLongerApplies_AndNextExpiryIsEarliestActive()
    {
        var inputs = Cluster("c1", Instance("i0"), Instance("i1"))
            .With("old", Override(RoutingOverrideActions.Block, expires: Now))
            .With("soon", Override(RoutingOverrideActions.Exclude, ["i0"], expires: Now.AddSeconds(5)))
            .With("later", Override(RoutingOverrideActions.Exclude, ["i1"], expires: Now.AddSeconds(50)));

        var decision = RouteCalculator.Compute(inputs, Live("a1"), Now);

        decision.Kind.Should().Be(RouteKind.Forward);
        decision.ActiveOverrides.Should().Equal("later", "soon");
        decision.NextExpiry.Should().Be(Now.AddSeconds(5));
        Names(RouteCalculator.Compute(inputs, Live("a1"), Now.AddSeconds(6))).Should().Equal("i0");
    }

    [Fact]
    public void Compute_TrafficFilter_InvalidEntriesDroppedFailClosed()
    {
        var inputs = Cluster("c1", Instance("i0")) with
        {
            Table = new RoutingTable { ClusterId = "c1", Instances = ["i0"], AllowedSources = ["10.0.0.0/8", "not-a-cidr", "192.168.1.7"] },
        };

        var decision = RouteCalculator.Compute(inputs, Live("a1"), Now);

        decision.AllowedSources!.Value.Select(n => n.ToString()).Should().Equal("10.0.0.0/8", "192.168.1.7/32");
        var onlyInvalid = inputs with { Table = inputs.Table! with { AllowedSources = ["bogus"] } };
        RouteCalculator.Compute(onlyInvalid, Live("a1"), Now).AllowedSources!.Value.Should().BeEmpty("a filter of invalid entries admits no one");
    }
}
