using Cloud.Allocator.Tests.Support;
using Cloud.Shared.Coordination;
using Cloud.Testing;
using Cloud.ZooKeeper;
using FluentAssertions;
using Xunit;
using Xunit.Abstractions;

namespace Cloud.Allocator.Tests.Integration;

/// <summary>What must not take the allocator's other instances down with it: a missing work node, one instance's files.</summary>
[Collection(ZooKeeperCollection.Name)]
[Trait("Category", "Integration")]
public sealed class AllocatorRobustnessTests(ZooKeeperServerFixture zk, ITestOutputHelper output)
{
    [Fact]
    public async Task WorkNodeGone_NotAuthoritative_DefinitionsAndCapacityKept()
    {
        await using var bed = await AllocatorTestBed.CreateAsync(zk.Server.ConnectString, output);
        var allocator = await bed.StartAllocatorAsync();
        await bed.AssignAsync(AllocatorTestBed.Assignment(bed.ClusterId, "instance-0", 1024, "instance-0"));
        var (before, _) = await AllocatorTestBed.EventuallyAsync(() => bed.DefinitionAsync("instance-0"), "definition");

        // Both go at once, as after a wipe or with a wrong chroot: there is never a view with the work node but without the assignment.
        await bed.Observer.MultiAsync([Op.Delete(CloudPaths.Assignment(bed.AllocatorId, bed.InstanceId("instance-0"))), Op.Delete(CloudPaths.WorkOf(bed.AllocatorId))]);
        for (var i = 0; i < 3; i++)
        {
            var pass = allocator.Reconciler.LastPlan;
            await Eventually.AssertAsync(() => Task.FromResult(!ReferenceEquals(allocator.Reconciler.LastPlan, pass)), AllocatorTestBed.Wait, "another pass");
        }

        var (after, _) = (await bed.DefinitionAsync("instance-0"))!.Value;
        Cloud.Shared.Containers.ContainerSpecJson.Hash(after).Should().Be(Cloud.Shared.Containers.ContainerSpecJson.Hash(before), "a missing work node is not 'nothing assigned': no definition is deleted from that view");
        (await bed.RegistrationAsync())!.Value.Value.Capacity.Memory.UsedMb.Should().Be(1024, "what runs is still charged");
        (await bed.PortsAsync()).Should().NotBeNull();
    }

    [Fact]
    public async Task OneInstancesFilesBroken_ItsStatusSaysWhyAndTheOthersAreDefined()
    {
        await using var bed = await AllocatorTestBed.CreateAsync(zk.Server.ConnectString, output);

        // What the runner once did to a missing file bind: unicast_hosts.txt became a directory.
        var brokenDir = Path.Combine(bed.DataRoot, bed.AllocatorId, bed.InstanceId("instance-0"));
        Directory.CreateDirectory(Path.Combine(brokenDir, "data"));
        Directory.CreateDirectory(Path.Combine(brokenDir, "unicast_hosts.txt"));
        await bed.StartAllocatorAsync();

        await bed.AssignAsync(AllocatorTestBed.Assignment(bed.ClusterId, "instance-0", 1024, "instance-0", "instance-1"));
        await bed.AssignAsync(AllocatorTestBed.Assignment(bed.ClusterId, "instance-1", 1024, "instance-0", "instance-1"));

        await AllocatorTestBed.EventuallyAsync(() => bed.DefinitionAsync("instance-1"), "the healthy instance's definition");
        var (broken, _) = await AllocatorTestBed.EventuallyAsync(
            async () => await bed.StatusAsync("instance-0") is { Value.Error: not null } s ? s : ((Cloud.Shared.Allocators.InstanceStatus, Stat)?)null,
            "the broken instance's status with its error");
        broken.Error.Should().Contain("could not prepare").And.Contain("unicast_hosts.txt");
        (await bed.DefinitionAsync("instance-0")).Should().BeNull("no definition is written for an instance whose files are not ready");
        var (healthy, _) = await AllocatorTestBed.EventuallyAsync(() => bed.StatusAsync("instance-1"), "the healthy instance's status");
        healthy.Error.Should().BeNull();
    }
}
