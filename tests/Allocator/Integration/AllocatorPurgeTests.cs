using Cloud.Allocator.Tests.Support;
using Cloud.Shared.Allocators;
using Cloud.Shared.Coordination;
using Cloud.Shared.Serialization;
using Cloud.Testing;
using Cloud.ZooKeeper;
using FluentAssertions;
using Xunit;
using Xunit.Abstractions;

namespace Cloud.Allocator.Tests.Integration;

/// <summary>
/// Purge requests of deleted clusters (<c>/cloud/allocators-purge/&lt;allocator_id&gt;/&lt;cluster_id&gt;</c>) against a real
/// ZooKeeper: the allocator removes exactly the named instances' directories under its own data root, only
/// once nothing of them is assigned, defined or reported by the runner, and refuses what it cannot trust.
/// </summary>
[Collection(ZooKeeperCollection.Name)]
[Trait("Category", "Integration")]
public sealed class AllocatorPurgeTests(ZooKeeperServerFixture zk, ITestOutputHelper output)
{
    [Fact]
    public async Task PurgeRequest_InstancesNoLongerInForce_TheirDirsRemovedEverythingElseKept()
    {
        await using var bed = await AllocatorTestBed.CreateAsync(zk.Server.ConnectString, output);
        await bed.StartAllocatorAsync();
        var other = "d" + Guid.NewGuid().ToString("N")[..10];
        await bed.AssignAsync(AllocatorTestBed.Assignment(bed.ClusterId, "instance-0"));
        await bed.AssignAsync(AllocatorTestBed.Assignment(bed.ClusterId, "instance-1"));
        await bed.AssignAsync(AllocatorTestBed.Assignment(other, "instance-0"));
        await AllocatorTestBed.EventuallyAsync(() => bed.DefinitionAsync("instance-0"), "definition 0");
        await AllocatorTestBed.EventuallyAsync(() => bed.DefinitionAsync("instance-1"), "definition 1");
        var own = Path.Combine(bed.DataRoot, bed.AllocatorId);
        await Eventually.AssertAsync(() => Task.FromResult(Directory.Exists(Path.Combine(own, $"{other}-instance-0", "data"))), AllocatorTestBed.Wait, "the other cluster's data dir");
        var lookalike = Keep(Path.Combine(own, $"{bed.ClusterId}x-instance-0", "data"));
        var outside = Keep(Path.Combine(bed.DataRoot, "outside"));

        // instance-0 is unassigned but its container is still reported by the runner; instance-1 stays assigned.
        await bed.UnassignAsync("instance-0");
        await bed.Observer.DeleteAsync(CloudPaths.Assignment(bed.AllocatorId, $"{other}-instance-0"));
        await Eventually.AssertAsync(async () => await bed.DefinitionAsync("instance-0") is null, AllocatorTestBed.Wait, "definition 0 removed");
        var inspect = CloudPaths.InspectedContainer(bed.HostId, bed.ContainerName("instance-0"));
        await bed.Observer.CreateRecursiveAsync(CloudPaths.InspectOf(bed.HostId));
        await bed.Observer.CreateAsync(inspect, """{"state":"exited"}"""u8.ToArray());

        await bed.Observer.CreateRecursiveAsync(CloudPaths.PurgesOf(bed.AllocatorId));
        await bed.Observer.MultiAsync(
        [
            Op.Create(CloudPaths.Purge(bed.AllocatorId, bed.ClusterId), Request(bed.ClusterId, "instance-0", "instance-1", "../outside", "..", "Instance-0")),
            Op.Create(CloudPaths.Purge(bed.AllocatorId, other), Request(other, "instance-0")),
        ]);

        // The pass that closes the other cluster's request also looked at this one, with the container still reported.
        await Eventually.AssertAsync(async () => await bed.Observer.ExistsAsync(CloudPaths.Purge(bed.AllocatorId, other)) is null, AllocatorTestBed.Wait, "the other request closed");
        Directory.Exists(Path.Combine(own, $"{other}-instance-0")).Should().BeFalse("its instance is neither assigned nor defined nor reported");
        Directory.Exists(Path.Combine(own, bed.InstanceId("instance-0"), "data")).Should().BeTrue("the runner still reports its container");
        Directory.Exists(Path.Combine(own, bed.InstanceId("instance-1"), "data")).Should().BeTrue("it is still assigned");
        (await bed.Observer.ExistsAsync(CloudPaths.Purge(bed.AllocatorId, bed.ClusterId))).Should().NotBeNull("the request waits for what is still in force");

        await bed.Observer.DeleteAsync(inspect);
        await Eventually.AssertAsync(() => Task.FromResult(!Directory.Exists(Path.Combine(own, bed.InstanceId("instance-0")))), AllocatorTestBed.Wait, "instance-0's data removed once its container is gone");
        Directory.Exists(Path.Combine(own, bed.InstanceId("instance-1"), "data")).Should().BeTrue();

        await bed.UnassignAsync("instance-1");
        await Eventually.AssertAsync(async () => await bed.Observer.ExistsAsync(CloudPaths.Purge(bed.AllocatorId, bed.ClusterId)) is null, AllocatorTestBed.Wait, "the request closed");
        Directory.Exists(Path.Combine(own, bed.InstanceId("instance-1"))).Should().BeFalse();
        File.Exists(Path.Combine(lookalike, "keep")).Should().BeTrue("a cluster id that merely starts the same is another cluster");
        File.Exists(Path.Combine(outside, "keep")).Should().BeTrue("names that are not instance names are refused, never turned into paths");
        Directory.Exists(Path.Combine(bed.DataRoot, "snapshots", bed.ClusterId)).Should().BeTrue("snapshot repositories are not instance data");
    }

    [Fact]
    public async Task PurgeRequest_ClusterIdNotItsNodeName_DroppedAndNothingDeleted()
    {
        await using var bed = await AllocatorTestBed.CreateAsync(zk.Server.ConnectString, output);
        await bed.StartAllocatorAsync();
        var victim = "v" + Guid.NewGuid().ToString("N")[..10];
        await bed.AssignAsync(AllocatorTestBed.Assignment(victim, "instance-0"));
        var data = Path.Combine(bed.DataRoot, bed.AllocatorId, $"{victim}-instance-0", "data");
        await Eventually.AssertAsync(() => Task.FromResult(Directory.Exists(data)), AllocatorTestBed.Wait, "the instance's data dir");
        await bed.Observer.DeleteAsync(CloudPaths.Assignment(bed.AllocatorId, $"{victim}-instance-0"));
        await Eventually.AssertAsync(async () => await bed.Observer.ExistsAsync(CloudPaths.Container(bed.HostId, $"es-{victim}-instance-0")) is null, AllocatorTestBed.Wait, "definition removed");

        await bed.Observer.CreateRecursiveAsync(CloudPaths.PurgesOf(bed.AllocatorId));
        await bed.Observer.CreateAsync(CloudPaths.Purge(bed.AllocatorId, bed.ClusterId), Request(victim, "instance-0"));
        await bed.Observer.CreateAsync(CloudPaths.Purge(bed.AllocatorId, "garbage"), "{not json"u8.ToArray());

        await Eventually.AssertAsync(
            async () => await bed.Observer.ExistsAsync(CloudPaths.Purge(bed.AllocatorId, bed.ClusterId)) is null && await bed.Observer.ExistsAsync(CloudPaths.Purge(bed.AllocatorId, "garbage")) is null,
            AllocatorTestBed.Wait,
            "both untrustworthy requests dropped");
        Directory.Exists(data).Should().BeTrue("a request is acted on only for the cluster its node names");
    }

    private static byte[] Request(string clusterId, params string[] instances) =>
        CloudJson.Serialize(new DataPurgeRequest { ClusterId = clusterId, Instances = [.. instances], RequestedAt = DateTimeOffset.UtcNow });

    private static string Keep(string directory)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "keep"), "keep");
        return directory;
    }
}
