using System.Collections.Immutable;
using Cloud.Runner.Publishing;
using Cloud.Runner.Reconcile;
using Cloud.Shared.Containers;
using FluentAssertions;
using Xunit;

namespace Cloud.Runner.Tests.Publishing;

public sealed class ObservationBuilderTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-01-01T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Observe_RunningContainer_ReportsItsStateAndDockersRestartCount()
    {
        var desired = Specs.Desired("es-1");
        var container = Specs.Observed("es-1", "running", desired.Hash, restartCount: 2) with
        {
            Health = "healthy",
            Ports = ImmutableSortedDictionary<string, int>.Empty.Add("9200/tcp", 19200),
        };

        var observation = ObservationBuilder.Observe(desired, container, null, Now);

        observation.State.Should().Be(ContainerStates.Running);
        observation.Health.Should().Be("healthy");
        observation.RestartCount.Should().Be(2, "Docker owns restarts, so its count is the count");
        observation.DefinitionHash.Should().Be(desired.Hash);
        observation.Ports.Should().Contain("9200/tcp", 19200);
        observation.Error.Should().BeNull();
        observation.ObservedAt.Should().Be(Now);
    }

    [Fact]
    public void Observe_Refused_StateRefusedWithEveryReason()
    {
        var desired = DesiredContainer.Refused("es-1", Specs.Elasticsearch(), ["a rule", "another rule"]);

        var observation = ObservationBuilder.Observe(desired, null, null, Now);

        observation.State.Should().Be(ContainerStates.Refused);
        observation.Error.Should().Be("a rule; another rule");
    }

    [Fact]
    public void Observe_FailedWithoutContainer_StateFailed()
    {
        var desired = Specs.Desired("es-1");

        var observation = ObservationBuilder.Observe(desired, null, new ActionOutcome("es-1", desired.Hash, "name taken"), Now);

        observation.State.Should().Be(ContainerStates.Failed);
        observation.Error.Should().Be("name taken");
    }

    [Fact]
    public void Observe_NotCreatedYet_Missing()
    {
        ObservationBuilder.Observe(Specs.Desired("es-1"), null, null, Now).State.Should().Be(ContainerStates.Missing);
    }
}
