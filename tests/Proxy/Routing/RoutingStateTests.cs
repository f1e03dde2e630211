using Cloud.Proxy.Audit;
using Cloud.Proxy.Health;
using Cloud.Proxy.Routing;
using Cloud.Shared.Routing;
using FluentAssertions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Xunit;
using static Cloud.Proxy.Tests.Routing.Inputs;

namespace Cloud.Proxy.Tests.Routing;

public sealed class RoutingStateTests
{
    private readonly RouteTable _table = new();
    private readonly RecordingAudit _audit = new();
    private readonly FakeTimeProvider _time = new(Now);
    private readonly RoutingState _state;

    public RoutingStateTests()
    {
        _state = new RoutingState(_table, new DestinationRegistry(), _audit, _time, Options.Create(new ProxyOptions { Zone = "zone-1", ProxyId = "p1" }));
    }

    private ClusterRoute Route(string id) => _table.TryGet(id, out var route) ? route : throw new InvalidOperationException($"no route for {id}");

    [Fact]
    public void SetInstance_OneClusterChanges_OthersKeepTheirRouteObjects()
    {
        _state.SetLiveAllocators(["a1", "a2"]);
        for (var c = 0; c < 100; c++)
        {
            _state.SetInstance($"c{c}", "i0", Instance("i0", cluster: $"c{c}", port: 10_000 + c));
        }

        var before = Enumerable.Range(0, 100).ToDictionary(c => $"c{c}", c => Route($"c{c}"));

        _state.SetInstance("c42", "i1", Instance("i1", allocator: "a2", cluster: "c42", port: 20_000));

        Route("c42").All.Select(d => d.InstanceName).Should().Equal("i0", "i1");
        before.Where(b => b.Key != "c42").Should().OnlyContain(b => ReferenceEquals(Route(b.Key), b.Value), "only the changed cluster is recomputed");
    }

    [Fact]
    public void SetLiveAllocators_AllocatorGone_RecomputesOnlyItsClusters()
    {
        _state.SetLiveAllocators(["a1", "a2"]);
        _state.SetInstance("c1", "i0", Instance("i0", allocator: "a1", cluster: "c1", port: 1));
        _state.SetInstance("c1", "i1", Instance("i1", allocator: "a2", cluster: "c1", port: 2));
        _state.SetInstance("c2", "i0", Instance("i0", allocator: "a2", cluster: "c2", port: 3));
        var c2 = Route("c2");

        _state.SetLiveAllocators(["a2"]);

        Route("c1").All.Select(d => d.InstanceName).Should().Equal("i1");
        Route("c2").Should().BeSameAs(c2);

        _state.SetLiveAllocators(["a1", "a2"]);
        Route("c1").All.Should().HaveCount(2);
    }

    [Fact]
    public void RemovingEverything_ClusterBecomesUnknown()
    {
        _state.SetLiveAllocators(["a1"]);
        _state.SetInstance("c1", "i0", Instance("i0"));
        _state.SetInstance("c1", "i0", null);

        _table.TryGet("c1", out _).Should().BeFalse();
    }

    [Fact]
    public void Override_AppliedThenExpires_AuditedAndRouteRestored()
    {
        _state.SetLiveAllocators(["a1"]);
        _state.SetInstance("c1", "i0", Instance("i0", port: 1));
        _state.SetInstance("c1", "i1", Instance("i1", port: 2));

        _state.SetOverride("c1", "o1", Override(RoutingOverrideActions.Exclude, ["i0"], expires: Now.AddSeconds(30)));

        Route("c1").All.Select(d => d.InstanceName).Should().Equal("i1");
        _audit.Events.Should().ContainSingle(e => e.Event == OverrideAuditEvent.Applied && e.OverrideId == "o1" && e.ClusterId == "c1" && e.Author == "oncall" && e.ProxyId == "p1");

        _time.Advance(TimeSpan.FromSeconds(29));
        _state.ExpireOverrides();
        Route("c1").All.Should().HaveCount(1);

        _time.Advance(TimeSpan.FromSeconds(1));
        _state.ExpireOverrides();
        Route("c1").All.Select(d => d.InstanceName).Should().Equal("i0", "i1");
        _audit.Events.Select(e => e.Event).Should().Equal(OverrideAuditEvent.Applied, OverrideAuditEvent.Expired);
    }

    [Fact]
    public void Override_Deleted_AuditedAsRemoved()
    {
        _state.SetLiveAllocators(["a1"]);
        _state.SetInstance("c1", "i0", Instance("i0"));
        _state.SetOverride("c1", "o1", Override(RoutingOverrideActions.Block));
        Route("c1").Kind.Should().Be(RouteKind.Blocked);

        _state.SetOverride("c1", "o1", null);

        Route("c1").Kind.Should().Be(RouteKind.Forward);
        _audit.Events.Select(e => e.Event).Should().Equal(OverrideAuditEvent.Applied, OverrideAuditEvent.Removed);
    }

    [Fact]
    public void Override_AlreadyExpiredWhenSeen_NeverApplied()
    {
        _state.SetLiveAllocators(["a1"]);
        _state.SetInstance("c1", "i0", Instance("i0"));
        _state.SetOverride("c1", "o1", Override(RoutingOverrideActions.Block, expires: Now.AddSeconds(-1)));

        Route("c1").Kind.Should().Be(RouteKind.Forward);
        _audit.Events.Should().BeEmpty();
    }

    [Fact]
    public void Override_ExpiredThenDeleted_DroppedWithoutAnotherAuditRecord()
    {
        _state.SetLiveAllocators(["a1"]);
        _state.SetInstance("c1", "i0", Instance("i0"));
        _state.SetOverride("c1", "o1", Override(RoutingOverrideActions.Block, expires: Now.AddSeconds(1)));
        _time.Advance(TimeSpan.FromSeconds(2));
        _state.ExpireOverrides();

        _state.SetOverride("c1", "o1", null);

        _state.InputsOf("c1")!.Overrides.Should().BeEmpty();
        Route("c1").Kind.Should().Be(RouteKind.Forward);
        _audit.Events.Select(e => e.Event).Should().Equal(OverrideAuditEvent.Applied, OverrideAuditEvent.Expired);
    }
}
