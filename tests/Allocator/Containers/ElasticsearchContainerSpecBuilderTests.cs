using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cloud.Allocator.Containers;
using Cloud.Allocator.Ports;
using Cloud.Allocator.Tests.Support;
using Cloud.Shared.Allocators;
using Cloud.Shared.Containers;
using FluentAssertions;
using Xunit;

namespace Cloud.Allocator.Tests.Containers;

public sealed class ElasticsearchContainerSpecBuilderTests
{
    private const string Golden = """
        {
          "Image": "docker.elastic.co/elasticsearch/elasticsearch:8.15.0",
          "Env": [
            "cluster.name=logs",
            "node.name=instance-0000000001",
            "node.roles=master,data,ingest",
            "node.attr.zone=zone-1",
            "network.host=0.0.0.0",
            "network.publish_host=10.0.0.5",
            "http.port=9200",
            "transport.port=9300",
            "http.publish_port=20000",
            "transport.publish_port=20001",
            "path.data=/usr/share/elasticsearch/data",
            "path.repo=/usr/share/elasticsearch/snapshots",
            "discovery.seed_providers=file",
            "discovery.seed_hosts=10.0.0.6:20001,10.0.0.7:20003",
            "cluster.initial_master_nodes=instance-0000000000,instance-0000000001,instance-0000000002",
            "ES_JAVA_OPTS=-Xms1024m -Xmx1024m",
            "action.auto_create_index=false",
            "indices.query.bool.max_clause_count=2048",
            "xpack.security.enabled=false"
          ],
          "Labels": {
            "cloud.allocator": "alloc-1",
            "cloud.cluster-id": "c0ffee",
            "cloud.generation": "3",
            "cloud.instance": "instance-0000000001",
            "cloud.instance-id": "c0ffee-instance-0000000001"
          },
          "ExposedPorts": { "9200/tcp": {}, "9300/tcp": {} },
          "HostConfig": {
            "PortBindings": {
              "9200/tcp": [{ "HostIp": "0.0.0.0", "HostPort": "20000" }],
              "9300/tcp": [{ "HostIp": "0.0.0.0", "HostPort": "20001" }]
            },
            "Binds": [
              "/var/lib/cloud/alloc-1/c0ffee-instance-0000000001/data:/usr/share/elasticsearch/data",
              "/var/lib/cloud/alloc-1/c0ffee-instance-0000000001/unicast_hosts.txt:/usr/share/elasticsearch/config/unicast_hosts.txt:ro",
              "/var/lib/cloud/snapshots/c0ffee:/usr/share/elasticsearch/snapshots"
            ],
            "Memory": 2147483648,
            "MemorySwap": 2147483648,
            "RestartPolicy": { "Name": "unless-stopped" }
          },
          "StopSignal": "SIGTERM",
          "StopTimeout": 60
        }
        """;

    private static InstanceAssignment Assignment(long memoryMb = 2048) => new()
    {
        ClusterId = "c0ffee",
        ClusterName = "logs",
        InstanceName = "instance-0000000001",
        Version = "8.15.0",
        MemoryMb = memoryMb,
        Zone = "zone-1",
        InitialMasterNodes = ["instance-0000000000", "instance-0000000001", "instance-0000000002"],
        UserSettings = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, JsonElement>
        {
            ["xpack.security.enabled"] = JsonSerializer.SerializeToElement(false),
            ["action"] = JsonSerializer.SerializeToElement(new { auto_create_index = "false" }),
            ["indices.query.bool.max_clause_count"] = JsonSerializer.SerializeToElement(2048),
            ["cluster.name"] = JsonSerializer.SerializeToElement("hijack"),
        }),
        Generation = 3,
    };

    private static InstanceSpecInput Input(InstanceAssignment? assignment = null, ImmutableArray<string>? seeds = null) =>
        new("c0ffee-instance-0000000001", assignment ?? Assignment(), new InstancePorts(20000, 20001),
            seeds ?? ["10.0.0.6:20001", "10.0.0.7:20003"]);

    [Fact]
    public void Build_FullAssignment_MatchesGoldenDefinition()
    {
        var spec = ElasticsearchContainerSpecBuilder.Build(Input(), TestOptions.Create());

        var actual = JsonNode.Parse(ContainerSpecJson.Serialize(spec));
        JsonNode.DeepEquals(actual, JsonNode.Parse(Golden)).Should().BeTrue(actual!.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    [Fact]
    public void Build_SameInputTwice_HashesTheSame()
    {
        var first = ElasticsearchContainerSpecBuilder.Build(Input(), TestOptions.Create());
        var second = ElasticsearchContainerSpecBuilder.Build(Input(), TestOptions.Create());

        ContainerSpecJson.Hash(second).Should().Be(ContainerSpecJson.Hash(first));
    }

    [Fact]
    public void Build_GenerationBumped_ChangesTheHash()
    {
        var before = ElasticsearchContainerSpecBuilder.Build(Input(), TestOptions.Create());
        var after = ElasticsearchContainerSpecBuilder.Build(Input(Assignment() with { Generation = 4 }), TestOptions.Create());

        ContainerSpecJson.Hash(after).Should().NotBe(ContainerSpecJson.Hash(before));
    }

    [Fact]
    public void Build_RoundTripThroughJson_KeepsTheHash()
    {
        var spec = ElasticsearchContainerSpecBuilder.Build(Input(), TestOptions.Create());

        var read = ContainerSpecJson.Deserialize(ContainerSpecJson.Serialize(spec));

        ContainerSpecJson.Hash(read).Should().Be(ContainerSpecJson.Hash(spec));
        ElasticsearchContainerSpecBuilder.SeedHostsOf(read).Should().Equal("10.0.0.6:20001", "10.0.0.7:20003");
        ElasticsearchContainerSpecBuilder.MemoryMbOf(read).Should().Be(2048);
    }

    [Fact]
    public void Build_NoSeedsNoBootstrap_OmitsThoseSettings()
    {
        var assignment = Assignment() with { InitialMasterNodes = [] };

        var spec = ElasticsearchContainerSpecBuilder.Build(Input(assignment, []), TestOptions.Create());

        spec.Env!.Value.Should().NotContain(e => e.StartsWith("discovery.seed_hosts=", StringComparison.Ordinal));
        spec.Env!.Value.Should().NotContain(e => e.StartsWith("cluster.initial_master_nodes=", StringComparison.Ordinal));
        spec.Env!.Value.Should().Contain("discovery.seed_providers=file");
    }

    [Fact]
    public void Build_DockerImageOverride_WinsOverTemplate()
    {
        var spec = ElasticsearchContainerSpecBuilder.Build(Input(Assignment() with { DockerImage = "my/es:custom" }), TestOptions.Create());

        spec.Image.Should().Be("my/es:custom");
    }

    [Theory]
    [InlineData(1024, "-Xms512m -Xmx512m")]
    [InlineData(4096, "-Xms2048m -Xmx2048m")]
    [InlineData(63488, "-Xms31744m -Xmx31744m")]
    [InlineData(65536, "-Xms31744m -Xmx31744m")]
    [InlineData(131072, "-Xms31744m -Xmx31744m")]
    public void Build_Memory_HeapIsHalfCappedAt31Gb(long memoryMb, string javaOptions)
    {
        var spec = ElasticsearchContainerSpecBuilder.Build(Input(Assignment(memoryMb)), TestOptions.Create());

        spec.Env!.Value.Should().Contain("ES_JAVA_OPTS=" + javaOptions);
        spec.HostConfig!.Memory.Should().Be(memoryMb * 1024 * 1024);
    }

    [Fact]
    public void ImageFor_Template_SubstitutesVersion()
    {
        ElasticsearchContainerSpecBuilder.ImageFor(Assignment() with { Version = "8.16.0" }, "cloud/elasticsearch:{version}")
            .Should().Be("cloud/elasticsearch:8.16.0");
    }
}
