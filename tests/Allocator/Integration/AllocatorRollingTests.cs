using Cloud.Allocator.Tests.Support;
using Cloud.Shared.Containers;
using Cloud.Shared.Coordination;
using Cloud.Shared.Serialization;
using Cloud.Testing;
using FluentAssertions;
using Xunit;
using Xunit.Abstractions;

namespace Cloud.Allocator.Tests.Integration;

/// <summary>
/// A host-wide option change (here StopTimeoutSeconds) must not recreate every instance of the host at
/// once: one at a time, each running its new definition and answering before the next one changes.
/// </summary>
[Collection(ZooKeeperCollection.Name)]
[Trait("Category", "Integration")]
public sealed class AllocatorRollingTests(ZooKeeperServerFixture zk, ITestOutputHelper output)
{
    private static readonly TimeSpan ContainerWait = TimeSpan.FromSeconds(120);
    private static readonly string[] Names = ["instance-0", "instance-1"];

    [Fact]
    public async Task HostWideOptionChanged_InstancesRecreatedOneAtATimeEachBackBeforeTheNext()
    {
        await LocalImages.ElasticsearchAsync("8.15.0");
        await using var bed = await AllocatorTestBed.CreateAsync(zk.Server.ConnectString, output);
        await using var runner = RoleProcess.Start("Runner", new Dictionary<string, string>
        {
            ["ZooKeeper:ConnectString"] = bed.ConnectString,
            ["Runner:HostId"] = bed.HostId,
            ["Runner:DataRoot"] = bed.DataRoot,
        });
        try
        {
            var first = await bed.StartAllocatorAsync();
            foreach (var name in Names)
            {
                await bed.AssignAsync(AllocatorTestBed.Assignment(bed.ClusterId, name, 512, name));
            }

            foreach (var name in Names)
            {
                await Eventually.AssertAsync(
                    async () => (await bed.StatusAsync(name))?.Value is { ContainerState: "running", Probe.Reachable: true },
                    ContainerWait, name + " running and answering", TimeSpan.FromMilliseconds(250));
            }

            await first.StopAsync();
            var changed = bed.Options();
            changed["StopTimeoutSeconds"] = "7";
            await bed.StartAllocatorAsync(changed);

            foreach (var name in Names)
            {
                await Eventually.AssertAsync(
                    async () => (await bed.DefinitionAsync(name))?.Value.StopTimeout == 7
                        && (await bed.StatusAsync(name))?.Value is { ContainerState: "running", Probe.Reachable: true }
                        && await InspectAsync(bed, name) is { Value.State: ContainerStates.Running } inspect
                        && inspect.Value.DefinitionHash == ContainerSpecJson.Hash((await bed.DefinitionAsync(name))!.Value.Value),
                    ContainerWait, name + " recreated with the new option, running and answering", TimeSpan.FromMilliseconds(250));
            }

            // ZooKeeper's zxids order the writes: the second definition changed only after the first
            // instance's container ran its new definition (the runner's inspect write).
            var definitions = await Task.WhenAll(Names.Select(n => bed.DefinitionAsync(n)));
            var order = Names.Zip(definitions).OrderBy(p => p.Second!.Value.Stat.Mzxid).Select(p => p.First).ToArray();
            var earlierInspect = (await InspectAsync(bed, order[0]))!.Value.Stat;
            var laterDefinition = (await bed.DefinitionAsync(order[1]))!.Value.Stat;
            earlierInspect.Mzxid.Should().BeLessThan(laterDefinition.Mzxid, $"{order[1]} must change only once {order[0]} is back");
        }
        finally
        {
            foreach (var line in runner.Process.Output.TakeLast(40))
            {
                output.WriteLine("[runner] " + line);
            }

            // The runner goes first: while it runs it recreates whatever is removed under a definition it still holds,
            // and such a container outlives the test (it then dies on the deleted data dir, and stays behind).
            await runner.DisposeAsync();
            await DockerEngine.RemoveContainersLabelledAsync("cloud.runner.host=" + bed.HostId);
        }
    }

    private static Task<(ContainerObservation Value, Cloud.ZooKeeper.Stat Stat)?> InspectAsync(AllocatorTestBed bed, string instanceName) =>
        bed.ReadAsync(CloudPaths.InspectedContainer(bed.HostId, bed.ContainerName(instanceName)), d => CloudJson.Deserialize<ContainerObservation>(d));
}
