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

    [Fact]
    public void ToCreateParameters_DockerRunFields_PassedOnAsDockerTakesThem()
    {
        var spec = Specs.Elasticsearch() with
        {
            Hostname = "node-a",
            HostConfig = Specs.Elasticsearch().HostConfig! with
            {
                Ulimits = [new UlimitSpec("nofile", 1024, 65535)],
                ShmSize = 64L * 1024 * 1024,
                LogConfig = new LogConfigSpec("json-file", ImmutableSortedDictionary<string, string>.Empty.Add("max-size", "10m")),
                Tmpfs = ImmutableSortedDictionary<string, string>.Empty.Add("/run", "size=16m"),
                Init = true,
                OomScoreAdj = 500,
                PidsLimit = 4096,
                ExtraHosts = ["db:10.0.0.3"],
            },
        };

        var parameters = DockerSpecMapper.ToCreateParameters(new ContainerCreateRequest("es-1", spec, ImmutableSortedDictionary<string, string>.Empty));

        parameters.Hostname.Should().Be("node-a");
        var host = parameters.HostConfig!;
        host.Ulimits.Should().ContainSingle().Which.Should().BeEquivalentTo(new { Name = "nofile", Soft = 1024L, Hard = 65535L });
        host.ShmSize.Should().Be(64L * 1024 * 1024);
        host.LogConfig!.Type.Should().Be("json-file");
        host.LogConfig.Config.Should().Contain("max-size", "10m");
        host.Tmpfs.Should().Contain("/run", "size=16m");
        host.Init.Should().BeTrue();
        host.OomScoreAdj.Should().Be(500);
        host.PidsLimit.Should().Be(4096);
        host.ExtraHosts.Should().Equal("db:10.0.0.3");
    }
}
