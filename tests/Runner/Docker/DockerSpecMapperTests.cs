using System.Collections.Immutable;
using Cloud.Runner.Docker;
using Cloud.Shared.Containers;
using FluentAssertions;
using Xunit;

namespace Cloud.Runner.Tests.Docker;

public sealed class DockerSpecMapperTests
{
    [Fact]
    public void ToCreateParameters_ElasticsearchDefinition_EveryFieldPassedOn()
    {
        var spec = Specs.Elasticsearch() with
        {
            Labels = ImmutableSortedDictionary<string, string>.Empty.Add("app", "es").Add(OwnerLabels.HostId, "forged"),
            Healthcheck = new HealthcheckSpec { Test = ["CMD", "true"], Interval = 2_000_000_000, Retries = 3 },
        };
        var labels = ImmutableSortedDictionary<string, string>.Empty.Add(OwnerLabels.HostId, "host-1").Add(OwnerLabels.DefinitionHash, "abc");

        var parameters = DockerSpecMapper.ToCreateParameters(new ContainerCreateRequest("es-1", spec, labels));

        parameters.Name.Should().Be("es-1");
        parameters.Image.Should().Be("cloud/elasticsearch:8.15.0");
        parameters.Env.Should().Equal("node.name=es-1", "cluster.name=c1");
        parameters.Labels!.Should().Contain("app", "es").And.Contain(OwnerLabels.HostId, "host-1").And.Contain(OwnerLabels.DefinitionHash, "abc");
        parameters.ExposedPorts.Should().ContainKey("9200/tcp");
        parameters.HostConfig!.PortBindings!["9200/tcp"].Should().ContainSingle().Which.HostPort.Should().Be("19200");
        parameters.HostConfig.Binds.Should().ContainSingle();
        parameters.HostConfig.Memory.Should().Be(512L * 1024 * 1024);
        parameters.HostConfig.CPUShares.Should().Be(512);
        parameters.HostConfig.RestartPolicy!.Name.Should().Be(global::Docker.DotNet.Models.RestartPolicyKind.UnlessStopped);
        parameters.StopSignal.Should().Be("SIGTERM");
        parameters.StopTimeout.Should().Be(TimeSpan.FromSeconds(5));
        parameters.Healthcheck!.Interval.Should().Be(TimeSpan.FromSeconds(2));
        parameters.Healthcheck.Retries.Should().Be(3);
    }
}
