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

/// <summary>The allocator against a real ZooKeeper, without a runner: what it advertises, writes and refuses.</summary>
[Collection(ZooKeeperCollection.Name)]
[Trait("Category", "Integration")]
public sealed class AllocatorZooKeeperTests(ZooKeeperServerFixture zk, ITestOutputHelper output)
{
    private static readonly string[] InstanceNames = ["instance-0", "instance-1"];

    [Fact]
    public async Task Start_NoAssignments_RegistersEphemeralNodeWithCapacityZoneAndTags()
    {
        await using var bed = await AllocatorTestBed.CreateAsync(zk.Server.ConnectString, output);
        var allocator = await bed.StartAllocatorAsync();

        var (registration, stat) = await AllocatorTestBed.EventuallyAsync(bed.RegistrationAsync, "registration");

        stat.EphemeralOwner.Should().Be(allocator.Client.SessionId);
        registration.AllocatorId.Should().Be(bed.AllocatorId);
        registration.Host.Should().Be("127.0.0.1");
        registration.Zone.Should().Be("zone-1");
        registration.Capacity.Memory.Should().Be(new MemoryCapacity(4096, 0));
        registration.Tags.Should().Contain("disk", "ssd");
        registration.MaintenanceMode.Should().BeFalse();
        registration.Version.Should().NotBeNullOrEmpty();
        (await bed.Observer.ExistsAsync(CloudPaths.AllocatorMeta(bed.AllocatorId)))!.EphemeralOwner.Should().Be(0, "meta is persistent");

        await allocator.StopAsync();
        (await bed.Observer.ExistsAsync(CloudPaths.Allocator(bed.AllocatorId))).Should().BeNull();
    }

    [Fact]
    public async Task Assignment_WithinCapacity_WritesDefinitionPortsDataDirAndStatus()
    {
        await using var bed = await AllocatorTestBed.CreateAsync(zk.Server.ConnectString, output);
        await bed.StartAllocatorAsync();

        await bed.AssignAsync(AllocatorTestBed.Assignment(bed.ClusterId, "instance-0", 1024, "instance-0"));

        var (spec, _) = await AllocatorTestBed.EventuallyAsync(() => bed.DefinitionAsync("instance-0"), "definition");
        var (ports, _) = (await bed.PortsAsync())!.Value;
        var reserved = ports[bed.InstanceId("instance-0")];
        spec.Image.Should().Be("cloud/elasticsearch:8.15.0");
        spec.Env!.Value.Should().Contain(
        [
            $"cluster.name=logs-{bed.ClusterId}", "node.name=instance-0", "node.roles=master,data,ingest", "node.attr.zone=zone-1",
            "network.publish_host=127.0.0.1", $"http.publish_port={reserved["http"]}", $"transport.publish_port={reserved["transport"]}",
            "cluster.initial_master_nodes=instance-0", "ES_JAVA_OPTS=-Xms512m -Xmx512m", "path.data=/usr/share/elasticsearch/data",
        ]);
        spec.HostConfig!.Memory.Should().Be(1024L * 1024 * 1024);
        spec.HostConfig.PortBindings!["9200/tcp"][0].HostPort.Should().Be(reserved["http"].ToString(System.Globalization.CultureInfo.InvariantCulture));
        var instanceDir = Path.Combine(bed.DataRoot, bed.AllocatorId, bed.InstanceId("instance-0"));
        spec.HostConfig.Binds!.Value.Should().Contain($"{instanceDir}/data:/usr/share/elasticsearch/data");
        Directory.Exists(Path.Combine(instanceDir, "data")).Should().BeTrue();
        File.Exists(Path.Combine(instanceDir, "unicast_hosts.txt")).Should().BeTrue();
        var repository = Path.Combine(bed.DataRoot, "snapshots", bed.ClusterId);
        spec.HostConfig.Binds!.Value.Should().Contain($"{repository}:/usr/share/elasticsearch/snapshots");
        spec.Env!.Value.Should().Contain("path.repo=/usr/share/elasticsearch/snapshots");
        Directory.Exists(repository).Should().BeTrue("the runner never creates a missing bind source, so the allocator must");

        var (status, _) = await AllocatorTestBed.EventuallyAsync(() => bed.StatusAsync("instance-0"), "status");
        status.ContainerState.Should().Be("pending");
        status.AllocatorId.Should().Be(bed.AllocatorId);
        status.HttpPort.Should().Be(reserved["http"]);
        status.TransportPort.Should().Be(reserved["transport"]);
        await Eventually.AssertAsync(async () => (await bed.RegistrationAsync())?.Value.Capacity.Memory.UsedMb == 1024, AllocatorTestBed.Wait, "used 1024");
        (await bed.RegistrationAsync())!.Value.Value.Instances.Should().Equal(bed.InstanceId("instance-0"));
    }

    [Fact]
    public async Task Assignment_OverCommit_RefusedWithReasonUntilMemoryFrees()
    {
        await using var bed = await AllocatorTestBed.CreateAsync(zk.Server.ConnectString, output);
        await bed.StartAllocatorAsync();
        await bed.AssignAsync(AllocatorTestBed.Assignment(bed.ClusterId, "instance-0", 3072));
        await AllocatorTestBed.EventuallyAsync(() => bed.DefinitionAsync("instance-0"), "first definition");

        await bed.AssignAsync(AllocatorTestBed.Assignment(bed.ClusterId, "instance-1", 2048));

        var (status, _) = await AllocatorTestBed.EventuallyAsync(() => bed.StatusAsync("instance-1"), "refused status");
        status.ContainerState.Should().Be("refused");
        status.Error.Should().Be("needs 2048 MB but only 1024 MB of 4096 MB are free");
        (await bed.DefinitionAsync("instance-1")).Should().BeNull();
        (await bed.RegistrationAsync())!.Value.Value.Capacity.Memory.UsedMb.Should().Be(3072);

        await bed.UnassignAsync("instance-0");

        await AllocatorTestBed.EventuallyAsync(() => bed.DefinitionAsync("instance-1"), "definition once memory is free");
        await Eventually.AssertAsync(async () => await bed.DefinitionAsync("instance-0") is null, AllocatorTestBed.Wait, "removed definition");
        await Eventually.AssertAsync(async () => await bed.StatusAsync("instance-0") is null, AllocatorTestBed.Wait, "removed status");
        await Eventually.AssertAsync(async () => (await bed.RegistrationAsync())?.Value.Capacity.Memory.UsedMb == 2048, AllocatorTestBed.Wait, "used 2048");
        (await bed.PortsAsync())!.Value.Value.Keys.Should().Equal(bed.InstanceId("instance-1"));
    }

    [Fact]
    public async Task Restart_SameAssignments_DefinitionsAndPortsUntouched()
    {
        await using var bed = await AllocatorTestBed.CreateAsync(zk.Server.ConnectString, output);
        var first = await bed.StartAllocatorAsync();
        await bed.AssignAsync(AllocatorTestBed.Assignment(bed.ClusterId, "instance-0", 1024, "instance-0"));
        await bed.AssignAsync(AllocatorTestBed.Assignment(bed.ClusterId, "instance-1", 1024));
        await AllocatorTestBed.EventuallyAsync(() => bed.DefinitionAsync("instance-1"), "definitions");
        await AllocatorTestBed.EventuallyAsync(() => bed.StatusAsync("instance-1"), "statuses");
        var before = (await bed.DefinitionAsync("instance-0"))!.Value.Stat;
        var portsBefore = (await bed.PortsAsync())!.Value.Stat;

        await first.StopAsync();
        var second = await bed.StartAllocatorAsync();
        await Eventually.AssertAsync(async () => (await bed.RegistrationAsync())?.Stat.EphemeralOwner == second.Client.SessionId, AllocatorTestBed.Wait, "re-registered");
        await Eventually.AssertAsync(() => Task.FromResult(second.Reconciler.LastPlan is not null), AllocatorTestBed.Wait, "a full pass");

        (await bed.DefinitionAsync("instance-0"))!.Value.Stat.Mzxid.Should().Be(before.Mzxid);
        (await bed.PortsAsync())!.Value.Stat.Mzxid.Should().Be(portsBefore.Mzxid);
        (await bed.RegistrationAsync())!.Value.Value.Capacity.Memory.UsedMb.Should().Be(2048);
    }

    [Fact]
    public async Task MaintenanceMode_SetByOperator_AdvertisedAndSurvivesRestart()
    {
        await using var bed = await AllocatorTestBed.CreateAsync(zk.Server.ConnectString, output);
        var first = await bed.StartAllocatorAsync();
        await AllocatorTestBed.EventuallyAsync(bed.RegistrationAsync, "registration");

        var meta = new AllocatorMeta { MaintenanceMode = true, Tags = System.Collections.Immutable.ImmutableSortedDictionary.CreateRange(new Dictionary<string, string> { ["rack"] = "r7", ["disk"] = "hdd" }) };
        await bed.Observer.SetDataAsync(CloudPaths.AllocatorMeta(bed.AllocatorId), CloudJson.Serialize(meta));

        await Eventually.AssertAsync(async () => (await bed.RegistrationAsync())?.Value.MaintenanceMode == true, AllocatorTestBed.Wait, "maintenance advertised");
        var advertised = (await bed.RegistrationAsync())!.Value.Value;
        advertised.Tags.Should().Contain("rack", "r7").And.Contain("disk", "hdd", "operator tags win over configured ones");

        await first.StopAsync();
        var second = await bed.StartAllocatorAsync();

        await Eventually.AssertAsync(async () => (await bed.RegistrationAsync())?.Stat.EphemeralOwner == second.Client.SessionId, AllocatorTestBed.Wait, "re-registered");
        (await bed.RegistrationAsync())!.Value.Value.MaintenanceMode.Should().BeTrue();
        var stored = CloudJson.Deserialize<AllocatorMeta>((await bed.Observer.GetDataAsync(CloudPaths.AllocatorMeta(bed.AllocatorId))).Data);
        stored.MaintenanceMode.Should().BeTrue();
    }

    [Fact]
    public async Task DesiredStopped_DefinitionRemovedWhileDataDirAndPortsKept()
    {
        await using var bed = await AllocatorTestBed.CreateAsync(zk.Server.ConnectString, output);
        await bed.StartAllocatorAsync();
        var assignment = AllocatorTestBed.Assignment(bed.ClusterId, "instance-0");
        await bed.AssignAsync(assignment);
        await AllocatorTestBed.EventuallyAsync(() => bed.DefinitionAsync("instance-0"), "definition");
        var ports = (await bed.PortsAsync())!.Value.Value;

        await bed.AssignAsync(assignment with { DesiredState = "stopped" });

        await Eventually.AssertAsync(async () => await bed.DefinitionAsync("instance-0") is null, AllocatorTestBed.Wait, "definition removed");
        await Eventually.AssertAsync(async () => (await bed.StatusAsync("instance-0"))?.Value.ContainerState == "stopped", AllocatorTestBed.Wait, "stopped status");
        (await bed.PortsAsync())!.Value.Value.Should().BeEquivalentTo(ports);
        Directory.Exists(Path.Combine(bed.DataRoot, bed.AllocatorId, bed.InstanceId("instance-0"), "data")).Should().BeTrue();

        await bed.AssignAsync(assignment with { DesiredState = "started" });

        var (spec, _) = await AllocatorTestBed.EventuallyAsync(() => bed.DefinitionAsync("instance-0"), "definition again");
        spec.HostConfig!.PortBindings!["9300/tcp"][0].HostPort.Should().Be(ports[bed.InstanceId("instance-0")]["transport"].ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task SecondInstance_SeedsFromPeerAndPeerUnicastFileFollowsWithoutRewrite()
    {
        await using var bed = await AllocatorTestBed.CreateAsync(zk.Server.ConnectString, output);
        await bed.StartAllocatorAsync();
        await bed.AssignAsync(AllocatorTestBed.Assignment(bed.ClusterId, "instance-0", 1024, "instance-0"));
        var (first, _) = await AllocatorTestBed.EventuallyAsync(() => bed.StatusAsync("instance-0"), "first status");
        var firstDefinition = (await bed.DefinitionAsync("instance-0"))!.Value.Stat;

        await bed.AssignAsync(AllocatorTestBed.Assignment(bed.ClusterId, "instance-1"));

        var (second, _) = await AllocatorTestBed.EventuallyAsync(() => bed.DefinitionAsync("instance-1"), "second definition");
        second.Env!.Value.Should().Contain($"discovery.seed_hosts=127.0.0.1:{first.TransportPort}");
        second.Env!.Value.Should().NotContain(e => e.StartsWith("cluster.initial_master_nodes=", StringComparison.Ordinal));
        var (secondStatus, _) = await AllocatorTestBed.EventuallyAsync(() => bed.StatusAsync("instance-1"), "second status");
        var unicast = Path.Combine(bed.DataRoot, bed.AllocatorId, bed.InstanceId("instance-0"), "unicast_hosts.txt");
        await Eventually.AssertAsync(
            () => Task.FromResult(File.ReadAllText(unicast).Contains($"127.0.0.1:{secondStatus.TransportPort}", StringComparison.Ordinal)),
            AllocatorTestBed.Wait, "peer in unicast_hosts.txt");
        (await bed.DefinitionAsync("instance-0"))!.Value.Stat.Version.Should().Be(firstDefinition.Version);
    }

    [Fact]
    public async Task TwoAllocators_SameMachineSameRange_NeverReserveTheSamePort()
    {
        await using var one = await AllocatorTestBed.CreateAsync(zk.Server.ConnectString, output);
        await using var two = await AllocatorTestBed.CreateAsync(zk.Server.ConnectString, output);
        await one.StartAllocatorAsync();
        var settings = two.Options();
        settings["PortRange"] = one.PortRange;
        await two.StartAllocatorAsync(settings);

        await Task.WhenAll(
            one.AssignAsync(AllocatorTestBed.Assignment(one.ClusterId, "instance-0")),
            two.AssignAsync(AllocatorTestBed.Assignment(two.ClusterId, "instance-0")),
            one.AssignAsync(AllocatorTestBed.Assignment(one.ClusterId, "instance-1")),
            two.AssignAsync(AllocatorTestBed.Assignment(two.ClusterId, "instance-1")));

        await Eventually.AssertAsync(
            async () =>
            {
                var ports = new List<int>();
                foreach (var bed in new[] { one, two })
                {
                    foreach (var instance in InstanceNames)
                    {
                        if (await bed.DefinitionAsync(instance) is not { } definition)
                        {
                            return false;
                        }

                        ports.AddRange(definition.Value.HostConfig!.PortBindings!.Values.Select(b => int.Parse(b[0].HostPort, System.Globalization.CultureInfo.InvariantCulture)));
                    }
                }

                return ports.Distinct().Count() == 8;
            },
            AllocatorTestBed.Wait, "eight distinct ports across both allocators");
    }

    [Fact]
    public async Task TwoAllocators_DifferentMachinesSameRange_ReuseTheSamePortNumbers()
    {
        await using var one = await AllocatorTestBed.CreateAsync(zk.Server.ConnectString, output);
        await using var two = await AllocatorTestBed.CreateAsync(zk.Server.ConnectString, output);
        await one.StartAllocatorAsync();
        var settings = two.Options();
        settings["PortRange"] = one.PortRange;
        settings["HostAddress"] = "127.0.0.2";
        await two.StartAllocatorAsync(settings);

        await one.AssignAsync(AllocatorTestBed.Assignment(one.ClusterId, "instance-0"));
        await two.AssignAsync(AllocatorTestBed.Assignment(two.ClusterId, "instance-0"));

        var ports = await AllocatorTestBed.EventuallyAsync(
            async () => await one.DefinitionAsync("instance-0") is { } a && await two.DefinitionAsync("instance-0") is { } b
                ? ((string, string)?)(a.Value.HostConfig!.PortBindings!["9200/tcp"][0].HostPort, b.Value.HostConfig!.PortBindings!["9200/tcp"][0].HostPort)
                : null,
            "both definitions");

        ports.Item2.Should().Be(ports.Item1, "host ports are per machine: allocators on other machines do not take each other's ports");
    }

    [Fact]
    public async Task Assignment_DefinitionNodeHeldByGarbage_LeftAloneAndOtherInstancesStillDefined()
    {
        await using var bed = await AllocatorTestBed.CreateAsync(zk.Server.ConnectString, output);
        await bed.Observer.CreateRecursiveAsync(bed.DefinitionPath("instance-0"), "not json"u8.ToArray(), CancellationToken.None);
        await bed.StartAllocatorAsync();

        await bed.AssignAsync(AllocatorTestBed.Assignment(bed.ClusterId, "instance-0"));
        await bed.AssignAsync(AllocatorTestBed.Assignment(bed.ClusterId, "instance-1"));

        var (spec, _) = await AllocatorTestBed.EventuallyAsync(() => bed.DefinitionAsync("instance-1"), "the other instance's definition");
        spec.Image.Should().Be("cloud/elasticsearch:8.15.0");
        (await bed.Observer.GetDataAsync(bed.DefinitionPath("instance-0"), null, CancellationToken.None)).Data.Should().Equal("not json"u8.ToArray(), "a definition that is not ours is never overwritten");
    }

    [Fact]
    public async Task Start_IdHeldByAnotherSession_WritesNothingUntilItHoldsTheId()
    {
        await using var bed = await AllocatorTestBed.CreateAsync(zk.Server.ConnectString, output);
        await using var other = await zk.ConnectAsync();
        await other.CreateRecursiveAsync(CloudPaths.Allocators, null, CancellationToken.None);
        await other.CreateAsync(CloudPaths.Allocator(bed.AllocatorId), [], CreateMode.Ephemeral, null, CancellationToken.None);
        var allocator = await bed.StartAllocatorAsync();
        await bed.AssignAsync(AllocatorTestBed.Assignment(bed.ClusterId, "instance-0"));

        for (var i = 0; i < 3; i++)
        {
            var pass = allocator.Reconciler.LastPlan;
            await Eventually.AssertAsync(() => Task.FromResult(allocator.Reconciler.LastPlan is not null && !ReferenceEquals(allocator.Reconciler.LastPlan, pass)), AllocatorTestBed.Wait, "another pass");
        }

        (await bed.DefinitionAsync("instance-0")).Should().BeNull("another allocator with the same id holds the registration");
        (await bed.PortsAsync()).Should().BeNull();

        await other.DisposeAsync();

        await AllocatorTestBed.EventuallyAsync(() => bed.DefinitionAsync("instance-0"), "the definition once this allocator holds its id");
    }
}
