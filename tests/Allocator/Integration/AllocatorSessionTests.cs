using Cloud.Allocator.Tests.Support;
using Cloud.Shared.Coordination;
using Cloud.Testing;
using Cloud.ZooKeeper;
using FluentAssertions;
using Xunit;
using Xunit.Abstractions;

namespace Cloud.Allocator.Tests.Integration;

/// <summary>Losing ZooKeeper: a server of its own, stopped for longer than the session timeout.</summary>
[Trait("Category", "Integration")]
public sealed class AllocatorSessionTests(ITestOutputHelper output) : IAsyncLifetime
{
    private ZooKeeperServer _server = null!;

    public async Task InitializeAsync() => _server = await ZooKeeperServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task SessionExpired_ZooKeeperBack_ReRegistersInNewSessionAndKeepsDefinitions()
    {
        await using var bed = await AllocatorTestBed.CreateAsync(_server.ConnectString, output);
        var allocator = await bed.StartAllocatorAsync(sessionTimeout: TimeSpan.FromSeconds(2));
        var expired = new TaskCompletionSource();
        allocator.Client.ConnectionStateChanged += change =>
        {
            if (change.State == ConnectionState.Expired)
            {
                expired.TrySetResult();
            }
        };
        await bed.AssignAsync(AllocatorTestBed.Assignment(bed.ClusterId, "instance-0", 1024, "instance-0"));
        await AllocatorTestBed.EventuallyAsync(() => bed.StatusAsync("instance-0"), "status");
        var oldSession = allocator.Client.SessionId;
        var definitionBefore = (await bed.DefinitionAsync("instance-0"))!.Value.Stat;

        await _server.StopAsync();
        await expired.Task.WaitAsync(TimeSpan.FromSeconds(15));
        await _server.StartAgainAsync();

        await Eventually.AssertAsync(
            async () => (await bed.RegistrationAsync())?.Stat.EphemeralOwner is { } owner && owner == allocator.Client.SessionId && owner != oldSession,
            TimeSpan.FromSeconds(30), "registration in the new session");
        (await bed.RegistrationAsync())!.Value.Value.Capacity.Memory.UsedMb.Should().Be(1024);
        (await bed.DefinitionAsync("instance-0"))!.Value.Stat.Mzxid.Should().Be(definitionBefore.Mzxid);
        (await bed.Observer.ExistsAsync(CloudPaths.AllocatorMeta(bed.AllocatorId))).Should().NotBeNull();
    }
}
