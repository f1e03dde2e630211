using System.Collections.Immutable;
using Cloud.Proxy.Forwarding;
using Cloud.Proxy.Health;
using Cloud.Proxy.Routing;
using FluentAssertions;
using Xunit;

namespace Cloud.Proxy.Tests.Forwarding;

public sealed class LoadBalancerTests
{
    private readonly DestinationRegistry _registry = new();

    private ClusterRoute Route(string? zone, params (string Name, string Zone, int Port)[] instances) => ClusterRoute.Create(
        new RouteDecision { ClusterId = "c1", Instances = [.. instances.Select(i => new RoutableInstance(i.Name, i.Zone, "127.0.0.1", i.Port))] },
        _registry,
        zone);

    [Fact]
    public void Pick_PrefersHealthyLocalZone()
    {
        var route = Route("zone-2", ("i1", "zone-1", 1), ("i2", "zone-2", 2), ("i3", "zone-3", 3));

        Enumerable.Range(0, 100).Select(_ => LoadBalancer.Pick(route)!.InstanceName).Distinct().Should().Equal("i2");
    }

    [Fact]
    public void Pick_LocalZoneFailed_FallsBackToOtherZones()
    {
        var route = Route("zone-2", ("i1", "zone-1", 11), ("i2", "zone-2", 12));
        route.Local[0].State.MarkFailed();

        LoadBalancer.Pick(route)!.InstanceName.Should().Be("i1");
    }

    [Fact]
    public void Pick_TwoChoices_PrefersFewerInFlight()
    {
        var route = Route(null, ("i1", "z", 21), ("i2", "z", 22));
        route.All[0].State.RequestStarted();

        Enumerable.Range(0, 50).Select(_ => LoadBalancer.Pick(route)!.InstanceName).Distinct().Should().Equal("i2");
    }

    [Fact]
    public void Pick_SpreadsOverEqualDestinations()
    {
        var route = Route(null, ("i1", "z", 31), ("i2", "z", 32), ("i3", "z", 33));

        Enumerable.Range(0, 300).Select(_ => LoadBalancer.Pick(route)!.InstanceName).Distinct().Should().BeEquivalentTo("i1", "i2", "i3");
    }

    [Fact]
    public void Pick_ExcludesTheFailedAttempt_AndStillPicksWhenAllFailed()
    {
        var route = Route(null, ("i1", "z", 41), ("i2", "z", 42));
        route.All[0].State.MarkFailed();
        route.All[1].State.MarkFailed();

        LoadBalancer.Pick(route, exclude: route.All[0].State)!.InstanceName.Should().Be("i2");
        LoadBalancer.Pick(Route(null, ("i1", "z", 41)), exclude: route.All[0].State).Should().BeNull();
        LoadBalancer.Pick(ClusterRoute.Create(new RouteDecision { ClusterId = "c", Instances = ImmutableArray<RoutableInstance>.Empty }, _registry, null)).Should().BeNull();
    }
}
