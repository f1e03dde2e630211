using System.Net;
using System.Text.Json;
using Cloud.Proxy.Audit;
using Cloud.Proxy.Forwarding;
using Cloud.Shared.Coordination;
using Cloud.Shared.Routing;
using Cloud.Testing;
using FluentAssertions;
using Xunit;

namespace Cloud.Proxy.Tests.Integration;

[Collection(ProxyIntegrationCollection.Name)]
[Trait("Category", "Integration")]
public sealed class OverrideTests(ProxyFixture fixture) : IAsyncLifetime
{
    /// <summary>The contract: an override is applied within a second.</summary>
    private static readonly TimeSpan WithinASecond = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(15);

    private readonly string _clusterId = $"o{Guid.NewGuid():N}"[..12];
    private BackendStub _a = null!;
    private BackendStub _b = null!;

    private ProxyHost Proxy => fixture.Proxy;

    public async Task InitializeAsync()
    {
        _a = await BackendStub.StartAsync("node-a");
        _b = await BackendStub.StartAsync("node-b");
        await fixture.Writer.WriteInstanceAsync(ClusterWriter.Instance(_clusterId, "instance-a", _a, ProxyFixture.AllocatorId));
        await fixture.Writer.WriteInstanceAsync(ClusterWriter.Instance(_clusterId, "instance-b", _b, ProxyFixture.AllocatorId));
        await Eventually.AssertAsync(() => Task.FromResult(Proxy.Routes.TryGet(_clusterId, out var r) && r.All.Length == 2), Converge, "both instances routable");
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }

    private static RoutingOverride Override(string action, string[]? instances = null, string? target = null, TimeSpan? ttl = null) => new()
    {
        Action = action,
        Instances = [.. instances ?? []],
        TargetClusterId = target,
        Reason = $"INC-42 {action}",
        Author = "oncall@example.com",
        CreatedAt = DateTimeOffset.UtcNow,
        ExpiresAt = ttl is { } t ? DateTimeOffset.UtcNow + t : null,
    };

    /// <summary>Writes the override and measures until the proxy's route reflects it.</summary>
    private async Task ApplyAsync(string overrideId, RoutingOverride routingOverride, Func<Cloud.Proxy.Routing.ClusterRoute, bool> applied)
    {
        var started = DateTime.UtcNow;
        await fixture.Writer.WriteOverrideAsync(_clusterId, overrideId, routingOverride);
        await Eventually.AssertAsync(() => Task.FromResult(Proxy.Routes.TryGet(_clusterId, out var r) && applied(r)), Converge, $"override {overrideId} to apply");
        (DateTime.UtcNow - started).Should().BeLessThan(WithinASecond * 2, "overrides apply within a second (plus polling and load slack)");
    }

    private async Task<HashSet<string>> AnsweringInstancesAsync(int requests = 30)
    {
        var seen = new HashSet<string>();
        for (var i = 0; i < requests; i++)
        {
            using var response = await Proxy.GetAsync(_clusterId);
            response.StatusCode.Should().Be(HttpStatusCode.OK);
            seen.Add(response.Headers.GetValues(ProxyRequestHandler.HandlingInstance).Single());
        }

        return seen;
    }

    private async Task<List<OverrideAuditEvent>> AuditAsync(string overrideId)
    {
        var events = new List<OverrideAuditEvent>();
        if (await fixture.Client.ExistsAsync(CloudPaths.Audit) is null)
        {
            return events;
        }

        foreach (var name in (await fixture.Client.GetChildrenAsync(CloudPaths.Audit)).Children.Where(n => n.Contains($"-{overrideId}-", StringComparison.Ordinal)))
        {
            var data = await fixture.Client.GetDataAsync(CloudPaths.Join(CloudPaths.Audit, name));
            events.Add(Shared.Serialization.CloudJson.Deserialize<OverrideAuditEvent>(data.Data));
        }

        return events;
    }

    [Fact]
    public async Task Exclude_TakesInstanceOut_UntilItExpires_AuditedBothWays()
    {
        var id = $"ex-{Guid.NewGuid():N}"[..10];
        await ApplyAsync(id, Override(RoutingOverrideActions.Exclude, ["instance-a"], ttl: TimeSpan.FromSeconds(3)), r => r.All.Length == 1);

        (await AnsweringInstancesAsync()).Should().Equal("instance-b");
        await Eventually.AssertAsync(() => Task.FromResult(Proxy.Routes.TryGet(_clusterId, out var r) && r.All.Length == 2), Converge, "the exclude to expire");
        (await AnsweringInstancesAsync(60)).Should().BeEquivalentTo(["instance-a", "instance-b"]);

        var audit = await Eventually.GetAsync(async () => await AuditAsync(id) is { Count: 2 } events ? events : null, Converge, "applied and expired audit records");
        audit.Select(e => e.Event).Should().BeEquivalentTo([OverrideAuditEvent.Applied, OverrideAuditEvent.Expired]);
        audit.Should().OnlyContain(e => e.ClusterId == _clusterId && e.Author == "oncall@example.com" && e.Reason == "INC-42 exclude" && e.Action == "exclude");
    }

    [Fact]
    public async Task Pin_OnlyPinnedInstanceTakesTraffic_UntilDeleted()
    {
        var id = $"pin-{Guid.NewGuid():N}"[..10];
        await ApplyAsync(id, Override(RoutingOverrideActions.Pin, ["instance-b"]), r => r.All.Length == 1 && r.All[0].InstanceName == "instance-b");

        (await AnsweringInstancesAsync()).Should().Equal("instance-b");

        await fixture.Writer.DeleteAsync(CloudPaths.Override(_clusterId, id));
        await Eventually.AssertAsync(() => Task.FromResult(Proxy.Routes.TryGet(_clusterId, out var r) && r.All.Length == 2), Converge, "the pin to go");
        var audit = await Eventually.GetAsync(async () => await AuditAsync(id) is { Count: 2 } events ? events : null, Converge, "applied and removed audit records");
        audit.Select(e => e.Event).Should().BeEquivalentTo([OverrideAuditEvent.Applied, OverrideAuditEvent.Removed]);
    }

    [Fact]
    public async Task Block_Refuses503WithReason_UntilItExpires()
    {
        var id = $"blk-{Guid.NewGuid():N}"[..10];
        await ApplyAsync(id, Override(RoutingOverrideActions.Block, ttl: TimeSpan.FromSeconds(3)), r => r.Kind == Cloud.Proxy.Routing.RouteKind.Blocked);

        using (var refused = await Proxy.GetAsync(_clusterId))
        {
            refused.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
            var body = await Json.ReadAsync(refused);
            body.GetProperty("error").Str("type").Should().Be(ElasticsearchErrors.Unavailable);
            body.GetProperty("error").Str("reason").Should().Contain("blocked").And.Contain("INC-42 block");
        }

        await Eventually.AssertAsync(() => Task.FromResult(Proxy.Routes.TryGet(_clusterId, out var r) && r.Kind == Cloud.Proxy.Routing.RouteKind.Forward), Converge, "the block to expire");
        (await AnsweringInstancesAsync(5)).Should().NotBeEmpty();
    }

    [Fact]
    public async Task Redirect_SendsTrafficToTargetCluster_UntilItExpires()
    {
        await using var target = await BackendStub.StartAsync("node-target");
        var targetCluster = $"t{Guid.NewGuid():N}"[..12];
        await fixture.Writer.WriteInstanceAsync(ClusterWriter.Instance(targetCluster, "instance-t", target, ProxyFixture.AllocatorId));
        await Eventually.AssertAsync(() => Task.FromResult(Proxy.Routes.TryGet(targetCluster, out var r) && r.All.Length == 1), Converge, "the target routable");
        var id = $"red-{Guid.NewGuid():N}"[..10];

        await ApplyAsync(id, Override(RoutingOverrideActions.Redirect, target: targetCluster, ttl: TimeSpan.FromSeconds(3)), r => r.Kind == Cloud.Proxy.Routing.RouteKind.Redirect);

        using (var response = await Proxy.GetAsync(_clusterId))
        {
            response.StatusCode.Should().Be(HttpStatusCode.OK);
            response.Headers.GetValues(ProxyRequestHandler.HandlingCluster).Should().Equal(targetCluster);
            (await Json.ReadAsync(response)).Str("name").Should().Be("node-target");
        }

        await Eventually.AssertAsync(() => Task.FromResult(Proxy.Routes.TryGet(_clusterId, out var r) && r.Kind == Cloud.Proxy.Routing.RouteKind.Forward), Converge, "the redirect to expire");
        (await AnsweringInstancesAsync(10)).Should().BeSubsetOf(["instance-a", "instance-b"]);
    }

    [Fact]
    public async Task InvalidOverride_IgnoredAndChangesNothing()
    {
        var before = Proxy.Routes.TryGet(_clusterId, out var r) ? r : null;
        await fixture.Writer.UpsertAsync(CloudPaths.Override(_clusterId, "broken"), JsonSerializer.SerializeToUtf8Bytes(new { action = "nuke", reason = "x" }));
        await fixture.Writer.UpsertAsync(CloudPaths.Override(_clusterId, "garbage"), "not json"u8.ToArray());

        // A valid override written after them is applied, so they were read and passed over.
        await ApplyAsync("valid", Override(RoutingOverrideActions.Exclude, ["instance-b"]), route => route.All.Length == 1);
        Proxy.Routes.TryGet(_clusterId, out var after).Should().BeTrue();
        after!.Decision.ActiveOverrides.Should().Equal("valid");
        before.Should().NotBeNull();
    }
}
