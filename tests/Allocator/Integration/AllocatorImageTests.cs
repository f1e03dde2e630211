using Cloud.Allocator.Tests.Support;
using Cloud.Shared.Allocators;
using Cloud.Shared.Containers;
using Cloud.Shared.Coordination;
using Cloud.Shared.Serialization;
using Cloud.Testing;
using Cloud.ZooKeeper;
using FluentAssertions;
using Xunit;
using Xunit.Abstractions;

namespace Cloud.Allocator.Tests.Integration;

/// <summary>An assignment whose image can never exist on the host is refused with a reason and holds nothing.</summary>
[Collection(ZooKeeperCollection.Name)]
[Trait("Category", "Integration")]
public sealed class AllocatorImageTests(ZooKeeperServerFixture zk, ITestOutputHelper output)
{
    [Fact]
    public async Task Assignment_VersionWithoutImageOrInvalid_RefusedWithReasonNoDefinitionNoCapacityNoPorts()
    {
        await using var bed = await AllocatorTestBed.CreateAsync(zk.Server.ConnectString, output);
        await using var runner = await zk.ConnectAsync();

        // Plays the host's runner: its liveness node lists the images the host has.
        var registration = new RunnerRegistration { HostId = bed.HostId, Images = ["cloud/elasticsearch:8.15.0"] };
        await runner.CreateRecursiveAsync(CloudPaths.Runners, null, CancellationToken.None);
        await runner.CreateAsync(CloudPaths.Runner(bed.HostId), CloudJson.Serialize(registration), CreateMode.Ephemeral, null, CancellationToken.None);
        await bed.StartAllocatorAsync();

        await bed.AssignAsync(AllocatorTestBed.Assignment(bed.ClusterId, "instance-0", 1024, "instance-0") with { Version = "99.99.99" });
        await bed.AssignAsync(AllocatorTestBed.Assignment(bed.ClusterId, "instance-1", 1024, "instance-1") with { Version = "8.15.0:latest@x y" });
        await bed.AssignAsync(AllocatorTestBed.Assignment(bed.ClusterId, "instance-2", 1024, "instance-2"));

        await AllocatorTestBed.EventuallyAsync(() => bed.DefinitionAsync("instance-2"), "the valid instance's definition");
        var missing = await RefusedStatusAsync(bed, "instance-0");
        missing.Error.Should().Contain("cloud/elasticsearch:99.99.99 is not present on host " + bed.HostId);
        var invalid = await RefusedStatusAsync(bed, "instance-1");
        invalid.Error.Should().Contain("not a valid image tag");

        (await bed.DefinitionAsync("instance-0")).Should().BeNull();
        (await bed.DefinitionAsync("instance-1")).Should().BeNull();
        await Eventually.AssertAsync(async () => (await bed.RegistrationAsync())?.Value.Capacity.Memory.UsedMb == 1024, AllocatorTestBed.Wait, "only the valid instance charged");
        var (ports, _) = (await bed.PortsAsync())!.Value;
        ports.Keys.Should().Equal(bed.InstanceId("instance-2"));
    }

    private static async Task<InstanceStatus> RefusedStatusAsync(AllocatorTestBed bed, string instanceName)
    {
        var (status, _) = await AllocatorTestBed.EventuallyAsync(
            async () => await bed.StatusAsync(instanceName) is { Value.ContainerState: ContainerStates.Refused } s ? s : ((InstanceStatus, Stat)?)null,
            instanceName + " refused");
        return status;
    }
}
