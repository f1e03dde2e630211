using System.Text;
using Cloud.Shared.Containers;
using FluentAssertions;
using Xunit;

namespace Cloud.Shared.Tests.Containers;

public sealed class ContainerSpecJsonTests
{
    private const string DockerShaped = """
        {
          "Image": "cloud/elasticsearch:8.15.0",
          "Env": ["node.name=instance-0", "cluster.name=c1"],
          "Labels": {"b": "2", "a": "1"},
          "ExposedPorts": {"9200/tcp": {}},
          "HostConfig": {
            "PortBindings": {"9200/tcp": [{"HostIp": "0.0.0.0", "HostPort": "20001"}]},
            "Binds": ["/var/lib/cloud/i0/data:/usr/share/elasticsearch/data"],
            "Memory": 1073741824,
            "CpuShares": 512,
            "RestartPolicy": {"Name": "unless-stopped"}
          },
          "StopSignal": "SIGTERM",
          "StopTimeout": 30,
          "Healthcheck": {"Test": ["CMD", "true"], "Interval": 1000000000}
        }
        """;

    [Fact]
    public void Deserialize_DockerCreateShape_ReadsEveryModelledField()
    {
        var spec = ContainerSpecJson.Deserialize(Encoding.UTF8.GetBytes(DockerShaped));

        spec.Image.Should().Be("cloud/elasticsearch:8.15.0");
        spec.Env.Should().Equal("node.name=instance-0", "cluster.name=c1");
        spec.HostConfig!.PortBindings!["9200/tcp"].Should().Equal(new PortBindingSpec("0.0.0.0", "20001"));
        spec.HostConfig.Memory.Should().Be(1L << 30);
        spec.HostConfig.RestartPolicy!.Name.Should().Be(RestartPolicySpec.UnlessStopped);
        spec.StopTimeout.Should().Be(30);
        spec.Healthcheck!.Test.Should().Equal("CMD", "true");
    }

    [Fact]
    public void Serialize_RoundTrip_KeepsDockerPascalCaseAndUnmodelledFields()
    {
        var withExtra = DockerShaped.Replace("\"Image\":", "\"Hostname\": \"h1\", \"Image\":", StringComparison.Ordinal);

        var json = Encoding.UTF8.GetString(ContainerSpecJson.Serialize(ContainerSpecJson.Deserialize(Encoding.UTF8.GetBytes(withExtra))));

        json.Should().Contain("\"Image\":").And.Contain("\"HostConfig\":").And.Contain("\"PortBindings\":").And.Contain("\"Hostname\":\"h1\"");
        json.Should().NotContain("\"image\"");
    }

    [Fact]
    public void Hash_SameContentInAnotherFieldOrder_IsEqual()
    {
        var reordered = """
            {"StopTimeout": 30, "StopSignal": "SIGTERM", "Labels": {"a": "1", "b": "2"},
             "Healthcheck": {"Interval": 1000000000, "Test": ["CMD", "true"]},
             "HostConfig": {"RestartPolicy": {"Name": "unless-stopped"}, "CpuShares": 512, "Memory": 1073741824,
               "Binds": ["/var/lib/cloud/i0/data:/usr/share/elasticsearch/data"],
               "PortBindings": {"9200/tcp": [{"HostPort": "20001", "HostIp": "0.0.0.0"}]}},
             "ExposedPorts": {"9200/tcp": {}}, "Env": ["node.name=instance-0", "cluster.name=c1"],
             "Image": "cloud/elasticsearch:8.15.0"}
            """;

        ContainerSpecJson.Hash(ContainerSpecJson.Deserialize(Encoding.UTF8.GetBytes(reordered)))
            .Should().Be(ContainerSpecJson.Hash(ContainerSpecJson.Deserialize(Encoding.UTF8.GetBytes(DockerShaped))));
    }

    [Fact]
    public void Hash_GoldenDefinition_NeverChanges()
    {
        // Runners compare this hash with the label on every running container: if the hash function (or
        // the model it serializes) changed, every container of the fleet would be recreated at once.
        ContainerSpecJson.Hash(ContainerSpecJson.Deserialize(Encoding.UTF8.GetBytes(DockerShaped))).Should().Be("fe50d421f60a7734");
    }

    [Fact]
    public void Hash_AnyContentChange_Differs()
    {
        var spec = ContainerSpecJson.Deserialize(Encoding.UTF8.GetBytes(DockerShaped));
        var hashes = new[]
        {
            spec,
            spec with { Image = "cloud/elasticsearch:8.16.0" },
            spec with { Env = ["node.name=instance-0", "cluster.name=c2"] },
            spec with { HostConfig = spec.HostConfig! with { Memory = 2L << 30 } },
            spec with { StopTimeout = 31 },
        }.Select(ContainerSpecJson.Hash);

        hashes.Should().OnlyHaveUniqueItems();
    }
}
