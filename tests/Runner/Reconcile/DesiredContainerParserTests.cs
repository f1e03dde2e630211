using System.Text;
using Cloud.Runner.Reconcile;
using FluentAssertions;
using Xunit;

namespace Cloud.Runner.Tests.Reconcile;

/// <summary>
/// Whatever a definition node holds, parsing ends as a valid definition or a refusal with a reason:
/// the shapes below once threw out of the runner's loop and killed it on every restart.
/// </summary>
public sealed class DesiredContainerParserTests
{
    private const string Image = "\"Image\":\"cloud/elasticsearch:8.15.0\"";

    [Theory]
    [InlineData("{" + Image + ",\"HostConfig\":{\"Binds\":[null]}}", "Binds")]
    [InlineData("{" + Image + ",\"HostConfig\":{\"PortBindings\":{\"9200/tcp\":[null]}}}", "PortBindings")]
    [InlineData("{" + Image + ",\"HostConfig\":{\"PortBindings\":{\"9200/tcp\":[{\"HostIp\":\"x y\",\"HostPort\":null}]}}}", "PortBindings")]
    [InlineData("{" + Image + ",\"HostConfig\":{\"PortBindings\":{\"9200/tcp\":null}}}", "")]
    [InlineData("{" + Image + ",\"HostConfig\":{\"Ulimits\":[{\"Name\":\"nofile\",\"Soft\":\"65535\",\"Hard\":65535}]}}", "not a valid container definition")]
    [InlineData("{" + Image + ",\"HostConfig\":{\"Ulimits\":[{\"Name\":\"nofile\",\"Soft\":1.5,\"Hard\":2}]}}", "not a valid container definition")]
    [InlineData("{" + Image + ",\"HostConfig\":{\"Ulimits\":{\"nofile\":65535}}}", "not a valid container definition")]
    [InlineData("{" + Image + ",\"HostConfig\":{\"Ulimits\":[null]}}", "Ulimits")]
    [InlineData("{" + Image + ",\"HostConfig\":{\"Ulimits\":[{\"Name\":\"nofile\",\"Soft\":10,\"Hard\":5}]}}", "Soft")]
    [InlineData("{" + Image + ",\"HostConfig\":{\"Ulimits\":[{\"Name\":\"bogus\",\"Soft\":1,\"Hard\":1}]}}", "bogus")]
    [InlineData("{" + Image + ",\"HostConfig\":{\"Memory\":1.5}}", "not a valid container definition")]
    [InlineData("{" + Image + ",\"HostConfig\":{\"Memory\":\"1g\"}}", "not a valid container definition")]
    [InlineData("{" + Image + ",\"HostConfig\":{\"RestartPolicy\":{\"Name\":null}}}", "RestartPolicy")]
    [InlineData("{" + Image + ",\"HostConfig\":{\"RestartPolicy\":null,\"CapAdd\":[null]}}", "CapAdd")]
    [InlineData("{" + Image + ",\"HostConfig\":{\"CapDrop\":[null]}}", "CapDrop")]
    [InlineData("{" + Image + ",\"HostConfig\":{\"LogConfig\":{\"Type\":\"syslog\"}}}", "LogConfig")]
    [InlineData("{" + Image + ",\"HostConfig\":{\"OomScoreAdj\":-1000}}", "OomScoreAdj")]
    [InlineData("{" + Image + ",\"HostConfig\":{\"Tmpfs\":{\"/run\":null}}}", "Tmpfs")]
    [InlineData("{" + Image + ",\"HostConfig\":{\"Dns\":[null,\"x\"]}}", "Dns")]
    [InlineData("{" + Image + ",\"HostConfig\":{\"ExtraHosts\":[\"nocolon\"]}}", "ExtraHosts")]
    [InlineData("{" + Image + ",\"HostConfig\":null,\"Env\":[null],\"Cmd\":[null]}", "Env")]
    [InlineData("{" + Image + ",\"Labels\":{\"a\":null}}", "Labels")]
    [InlineData("{" + Image + ",\"ExposedPorts\":{\"nine/tcp\":{}}}", "ExposedPorts")]
    [InlineData("{" + Image + ",\"Healthcheck\":{\"Test\":[null],\"Interval\":-1}}", "Healthcheck")]
    [InlineData("{\"Image\":null}", "Image is required")]
    [InlineData("{}", "Image")]
    [InlineData("null", "not a valid container definition")]
    [InlineData("[]", "not a valid container definition")]
    [InlineData("42", "not a valid container definition")]
    [InlineData("", "not a valid container definition")]
    [InlineData("{\"Image\":\"x\",\"StopTimeout\":99999999999}", "not a valid container definition")]
    public void Parse_HostileValue_RefusedWithReasonNeverThrows(string json, string reason)
    {
        var desired = DesiredContainerParser.Parse("es-1", Encoding.UTF8.GetBytes(json), Specs.DataRoot);

        desired.IsRefused.Should().BeTrue();
        desired.Errors.Should().NotBeEmpty().And.Contain(e => e.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_InvalidUtf8AndDeepNesting_Refused()
    {
        byte[] invalid = [(byte)'{', (byte)'"', 0xff, 0xfe, (byte)'"', (byte)':', (byte)'1', (byte)'}'];
        var deep = Encoding.UTF8.GetBytes("{" + Image + ",\"Labels\":" + new string('[', 200) + new string(']', 200) + "}");

        DesiredContainerParser.Parse("es-1", invalid, Specs.DataRoot).IsRefused.Should().BeTrue();
        DesiredContainerParser.Parse("es-1", deep, Specs.DataRoot).IsRefused.Should().BeTrue();
    }

    [Theory]
    [InlineData("My-ES")]
    [InlineData("ES_1.data")]
    [InlineData("0")]
    public void Parse_DockerLegalName_Accepted(string name)
    {
        var desired = DesiredContainerParser.Parse(name, Encoding.UTF8.GetBytes("{" + Image + "}"), Specs.DataRoot);

        desired.IsRefused.Should().BeFalse();
    }

    [Theory]
    [InlineData("bad name!")]
    [InlineData("-leading-dash")]
    [InlineData("_leading")]
    [InlineData("é")]
    public void Parse_NameDockerRefuses_RefusedWithReason(string name)
    {
        var desired = DesiredContainerParser.Parse(name, Encoding.UTF8.GetBytes("{" + Image + "}"), Specs.DataRoot);

        desired.Errors.Should().ContainSingle().Which.Should().Contain($"container name '{name}' is refused");
    }

    [Fact]
    public void Parse_DockerShapedHarmlessFields_Accepted()
    {
        var json = "{" + Image + ",\"Hostname\":\"es-1\",\"HostConfig\":{"
            + "\"Ulimits\":[{\"Name\":\"nofile\",\"Soft\":65535,\"Hard\":65535},{\"Name\":\"memlock\",\"Soft\":-1,\"Hard\":-1}],"
            + "\"ShmSize\":67108864,\"LogConfig\":{\"Type\":\"json-file\",\"Config\":{\"max-size\":\"10m\"}},"
            + "\"Tmpfs\":{\"/run\":\"size=16m\"},\"Init\":true,\"OomScoreAdj\":500,\"PidsLimit\":4096,"
            + "\"ReadonlyRootfs\":false,\"MemoryReservation\":1048576,\"Dns\":[\"10.0.0.2\"],\"DnsSearch\":[\"corp\"],\"ExtraHosts\":[\"db:10.0.0.3\",\"gw:host-gateway\"]}}";

        var desired = DesiredContainerParser.Parse("es-1", Encoding.UTF8.GetBytes(json), Specs.DataRoot);

        desired.Errors.Should().BeEmpty();
        desired.Spec!.HostConfig!.Ulimits!.Value.Should().HaveCount(2);
    }
}
