using Cloud.Allocator.Capacity;
using Cloud.Allocator.Ports;
using Cloud.Allocator.Status;
using Cloud.Allocator.Tests.Support;
using Cloud.Shared.Allocators;
using Cloud.Shared.Containers;
using FluentAssertions;
using Xunit;

namespace Cloud.Allocator.Tests.Status;

public sealed class InstanceStatusComposerTests
{
    private static readonly DateTimeOffset Now = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private static readonly InstanceAssignment Assignment = new()
    {
        ClusterId = "c1", ClusterName = "logs", InstanceName = "instance-1", Version = "8.15.0", MemoryMb = 1024, Zone = "zone-1",
    };

    private static readonly CapacityDecision Accepted = new("c1-instance-1", CapacityVerdict.Accepted, 1024);
    private static readonly NodeProbe Up = new() { Reachable = true, NodeName = "instance-1", ClusterName = "logs", ClusterUuid = "u", ProbedAt = Now };

    private static readonly Dictionary<string, (InstanceStatusInput Input, string State, string? Error)> Cases = new()
    {
        ["refused by capacity"] = (new(Assignment, new("c1-instance-1", CapacityVerdict.Refused, 0, "needs 1024 MB"), null, false, null, null), ContainerStates.Refused, "needs 1024 MB"),
        ["no ports left"] = (new(Assignment, Accepted, null, false, null, null), ContainerStates.Refused, "no free ports left in 20000-20099"),
        ["written, not yet observed"] = (new(Assignment, Accepted, new InstancePorts(20000, 20001), true, null, null), InstanceStates.Pending, null),
        ["running"] = (new(Assignment, Accepted, new InstancePorts(20000, 20001), true, new ContainerObservation { State = "running" }, Up), "running", null),
        ["runner refused"] = (new(Assignment, Accepted, new InstancePorts(20000, 20001), true, new ContainerObservation { State = "refused", Error = "bind outside data root" }, null), "refused", "bind outside data root"),
        ["stopped, gone"] = (new(Assignment, Accepted, new InstancePorts(20000, 20001), false, null, null), InstanceStates.Stopped, null),
        ["stopped, runner reports missing"] = (new(Assignment, Accepted, new InstancePorts(20000, 20001), false, new ContainerObservation { State = "missing" }, null), InstanceStates.Stopped, null),
        ["stopping, still running"] = (new(Assignment, Accepted, new InstancePorts(20000, 20001), false, new ContainerObservation { State = "running" }, null), "running", null),
        ["resize kept"] = (new(Assignment, new("c1-instance-1", CapacityVerdict.KeptInForce, 512, "resize refused"), new InstancePorts(20000, 20001), true, new ContainerObservation { State = "running" }, null), "running", "resize refused"),
    };

    public static TheoryData<string> Table => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(Table))]
    public void Compose_GoldenTable_GivesStateAndError(string name)
    {
        var (input, state, error) = Cases[name];
        var status = InstanceStatusComposer.Compose(input, TestOptions.Create(), Now);

        status.ContainerState.Should().Be(state, name);
        status.Error.Should().Be(error, name);
        status.AllocatorId.Should().Be("alloc-1");
        status.Host.Should().Be("10.0.0.5");
    }

    [Fact]
    public void Compose_Running_CarriesPortsAndProbe()
    {
        var input = new InstanceStatusInput(Assignment, Accepted, new InstancePorts(20000, 20001), true, new ContainerObservation { State = "running", Health = "healthy" }, Up);

        var status = InstanceStatusComposer.Compose(input, TestOptions.Create(), Now);

        status.HttpPort.Should().Be(20000);
        status.TransportPort.Should().Be(20001);
        status.ContainerHealth.Should().Be("healthy");
        status.Probe.Should().Be(Up);
        status.UpdatedAt.Should().Be(Now);
    }

    [Fact]
    public void WithoutTimestamps_ProbedAtDifferent_ComparesEqual()
    {
        var input = new InstanceStatusInput(Assignment, Accepted, new InstancePorts(20000, 20001), true, new ContainerObservation { State = "running" }, Up);
        var earlier = InstanceStatusComposer.Compose(input, TestOptions.Create(), Now);
        var later = InstanceStatusComposer.Compose(input with { Probe = Up with { ProbedAt = Now.AddMinutes(1) } }, TestOptions.Create(), Now.AddMinutes(1));

        InstanceStatusComposer.WithoutTimestamps(later).Should().Be(InstanceStatusComposer.WithoutTimestamps(earlier));
    }
}
