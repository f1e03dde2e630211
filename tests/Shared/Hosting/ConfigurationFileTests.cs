using Cloud.Shared.Hosting;
using FluentAssertions;
using Xunit;

namespace Cloud.Shared.Tests.Hosting;

/// <summary><c>--config /etc/cloud/&lt;role&gt;.json</c>, as the systemd units pass it.</summary>
[Collection(CloudHostCollection.Name)]
public sealed class ConfigurationFileTests
{
    [Fact]
    public void CreateBuilder_ConfigFile_ReadButCommandLineWins()
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, """{"Runner": {"HostId": "from-file", "DataRoot": "/var/lib/cloud/data"}}""");

        var builder = CloudHost.CreateBuilder("runner", ["--config", file, "--Runner:HostId=from-command-line"], DefaultUrls.Runner);

        builder.Configuration["Runner:DataRoot"].Should().Be("/var/lib/cloud/data");
        builder.Configuration["Runner:HostId"].Should().Be("from-command-line");
        File.Delete(file);
    }

    [Fact]
    public void CreateBuilder_MissingConfigFile_SaysWhichFile()
    {
        var missing = Path.Combine(Path.GetTempPath(), "cloud-missing-" + Guid.NewGuid().ToString("N") + ".json");

        var act = () => CloudHost.CreateBuilder("runner", ["--config", missing], DefaultUrls.Runner);

        act.Should().Throw<FileNotFoundException>().WithMessage($"*{missing}*");
    }
}
