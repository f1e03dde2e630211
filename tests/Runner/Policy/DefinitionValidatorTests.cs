using System.Collections.Immutable;
using System.Text.Json;
using Cloud.Runner.Policy;
using Cloud.Shared.Containers;
using FluentAssertions;
using Xunit;

namespace Cloud.Runner.Tests.Policy;

public sealed class DefinitionValidatorTests
{
    [Fact]
    public void Validate_ElasticsearchDefinition_NoErrors()
    {
        DefinitionValidator.Validate("es-1", Specs.Elasticsearch(), Specs.DataRoot).Should().BeEmpty();
    }

    [Fact]
    public void Validate_Privileged_RefusedWithReason()
    {
        var errors = Validate(h => h with { Privileged = true });

        errors.Should().ContainSingle().Which.Should().Contain("Privileged").And.Contain("compromised");
    }

    [Theory]
    [InlineData("host")]
    [InlineData("HOST")]
    [InlineData("container:other")]
    public void Validate_SharedNetwork_Refused(string mode)
    {
        Validate(h => h with { NetworkMode = mode }).Should().ContainSingle().Which.Should().Contain("NetworkMode");
    }

    [Theory]
    [InlineData("bridge")]
    [InlineData("none")]
    [InlineData("default")]
    public void Validate_OwnNetwork_Allowed(string mode)
    {
        Validate(h => h with { NetworkMode = mode }).Should().BeEmpty();
    }

    [Fact]
    public void Validate_CapAdd_Refused()
    {
        Validate(h => h with { CapAdd = ["SYS_ADMIN", "NET_ADMIN"] }).Should().ContainSingle().Which.Should().Contain("CapAdd").And.Contain("SYS_ADMIN");
    }

    [Fact]
    public void Validate_CapDrop_Allowed()
    {
        Validate(h => h with { CapDrop = ["ALL"] }).Should().BeEmpty();
    }

    [Theory]
    [InlineData("/etc:/host-etc")]
    [InlineData("/var/run/docker.sock:/var/run/docker.sock")]
    [InlineData("/srv/cloud-data/../../etc:/x")]
    [InlineData("/srv/cloud-data/es-1/../../../etc:/x")]
    [InlineData("/srv/cloud-data:/all-data")]
    [InlineData("/srv/cloud-data/:/all-data")]
    [InlineData("/srv/cloud-data-evil/x:/x")]
    [InlineData("/srv/cloud-data/./es-1:/x")]
    [InlineData("named-volume:/x")]
    [InlineData("/srv/cloud-data/es-1:/x:rshared")]
    [InlineData("/srv/cloud-data/es-1")]
    public void Validate_BindOutsideDataRootOrUnsafe_Refused(string bind)
    {
        Validate(h => h with { Binds = [bind] }).Should().ContainSingle().Which.Should().Contain("Binds");
    }

    [Theory]
    [InlineData("/srv/cloud-data/es-1/data:/usr/share/elasticsearch/data")]
    [InlineData("/srv/cloud-data/es-1/unicast_hosts.txt:/usr/share/elasticsearch/config/unicast_hosts.txt:ro")]
    [InlineData("/srv/cloud-data//es-1/data/:/data:rw,z")]
    public void Validate_BindUnderDataRoot_Allowed(string bind)
    {
        Validate(h => h with { Binds = [bind] }).Should().BeEmpty();
    }

    [Fact]
    public void Validate_EveryRuleBroken_EveryReasonReported()
    {
        var spec = Specs.Elasticsearch() with
        {
            Image = "",
            HostConfig = Specs.Elasticsearch().HostConfig! with
            {
                Privileged = true,
                NetworkMode = "host",
                CapAdd = ["SYS_ADMIN"],
                Binds = ["/etc:/etc"],
                RestartPolicy = new RestartPolicySpec("sometimes"),
            },
        };

        var errors = DefinitionValidator.Validate("Bad Name", spec, Specs.DataRoot);

        errors.Should().HaveCount(7);
        errors.Should().Contain(e => e.Contains("container name", StringComparison.Ordinal))
            .And.Contain(e => e.Contains("Image", StringComparison.Ordinal))
            .And.Contain(e => e.Contains("Privileged", StringComparison.Ordinal))
            .And.Contain(e => e.Contains("NetworkMode", StringComparison.Ordinal))
            .And.Contain(e => e.Contains("CapAdd", StringComparison.Ordinal))
            .And.Contain(e => e.Contains("Binds", StringComparison.Ordinal))
            .And.Contain(e => e.Contains("RestartPolicy", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Mounts", "[{\"Type\":\"bind\",\"Source\":\"/\",\"Target\":\"/host\"}]", "bypass")]
    [InlineData("Devices", "[]", "devices")]
    [InlineData("PidMode", "\"host\"", "process namespace")]
    [InlineData("SecurityOpt", "[\"seccomp=unconfined\"]", "security")]
    [InlineData("Links", "[\"other:db\"]", "not supported")]
    [InlineData("OomKillDisable", "true", "killable")]
    public void Validate_UnmodelledHostConfigField_Refused(string field, string json, string reason)
    {
        var host = Specs.Elasticsearch().HostConfig! with
        {
            Unmodelled = new Dictionary<string, JsonElement> { [field] = JsonDocument.Parse(json).RootElement.Clone() },
        };

        var errors = DefinitionValidator.Validate("es-1", Specs.Elasticsearch() with { HostConfig = host }, Specs.DataRoot);

        errors.Should().ContainSingle().Which.Should().Contain(field).And.Contain(reason);
    }

    [Fact]
    public void Validate_DefinitionJsonWithPrivileged_RefusedAfterParsing()
    {
        var json = """{"Image":"cloud/elasticsearch:8.15.0","HostConfig":{"Privileged":true,"NetworkMode":"host"}}"""u8.ToArray();

        var desired = Cloud.Runner.Reconcile.DesiredContainerParser.Parse("es-1", json, Specs.DataRoot);

        desired.IsRefused.Should().BeTrue();
        desired.Errors.Should().HaveCount(2);
        desired.Hash.Should().NotBeNull();
    }

    [Fact]
    public void Parse_NotJson_RefusedWithoutHash()
    {
        var desired = Cloud.Runner.Reconcile.DesiredContainerParser.Parse("es-1", "{not json"u8.ToArray(), Specs.DataRoot);

        desired.IsRefused.Should().BeTrue();
        desired.Hash.Should().BeNull();
        desired.Errors.Should().ContainSingle().Which.Should().Contain("not a valid container definition");
    }

    [Fact]
    public void Validate_BadPortBinding_Refused()
    {
        var errors = Validate(h => h with
        {
            PortBindings = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal,
                [new KeyValuePair<string, ImmutableArray<PortBindingSpec>>("9200/tcp", [new PortBindingSpec(null, "99999")])]),
        });

        errors.Should().ContainSingle().Which.Should().Contain("99999");
    }

    private static ImmutableArray<string> Validate(Func<HostConfigSpec, HostConfigSpec> change) =>
        DefinitionValidator.Validate("es-1", Specs.Elasticsearch() with { HostConfig = change(Specs.Elasticsearch().HostConfig!) }, Specs.DataRoot);
}
