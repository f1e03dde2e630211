using Cloud.Testing;
using FluentAssertions;
using Xunit;

namespace Cloud.Cli.Tests;

/// <summary>Where the API URL and key come from, and what happens when the API cannot be reached.</summary>
public sealed class ConnectionTests
{
    [Fact]
    public async Task NothingListening_ExitCode3()
    {
        var run = await CliRun.RunAsync(null, null, "--api-url", $"http://127.0.0.1:{FreePorts.Next()}", "cluster", "list");

        run.ExitCode.Should().Be(ExitCodes.Unreachable);
        run.Error.Should().Contain("Cannot reach the API");
    }

    [Fact]
    public async Task ConfigFile_ProvidesUrlAndKey()
    {
        await using var api = await FakeConstructor.StartAsync(requiredKey: "from-file");
        var config = Path.GetTempFileName();
        await File.WriteAllTextAsync(config, $$"""{"api_url": "{{api.Url}}", "api_key": "from-file"}""");

        var run = await CliRun.RunAsync(null, config, "cluster", "list");

        run.ExitCode.Should().Be(0, run.Error);
        api.Requests.Should().ContainSingle().Which.Authorization.Should().Be("ApiKey from-file");
        File.Delete(config);
    }

    [Fact]
    public async Task EnvironmentBeatsFile_FlagBeatsEnvironment()
    {
        await using var api = await FakeConstructor.StartAsync(requiredKey: "from-flag");
        var config = Path.GetTempFileName();
        await File.WriteAllTextAsync(config, """{"api_url": "http://127.0.0.1:1", "api_key": "from-file"}""");
        var environment = new Dictionary<string, string> { ["CLOUD_API_URL"] = api.Url.ToString(), ["CLOUD_API_KEY"] = "from-env" };

        var fromEnvironment = await CliRun.RunAsync(environment, config, "cluster", "list");
        var fromFlag = await CliRun.RunAsync(environment, config, "--api-key", "from-flag", "cluster", "list");

        fromEnvironment.ExitCode.Should().Be(ExitCodes.ApiError, "the environment's key reached the API and was refused");
        fromEnvironment.Error.Should().Contain("auth.unauthenticated");
        fromFlag.ExitCode.Should().Be(0, fromFlag.Error);
        api.Requests.Select(r => r.Authorization).Should().Equal("ApiKey from-env", "ApiKey from-flag");
        File.Delete(config);
    }

    [Fact]
    public async Task BrokenConfigFile_ExitCode2()
    {
        var config = Path.GetTempFileName();
        await File.WriteAllTextAsync(config, "api_url = http://x");

        var run = await CliRun.RunAsync(null, config, "cluster", "list");

        run.ExitCode.Should().Be(ExitCodes.Usage);
        run.Error.Should().Contain(config).And.Contain("not valid JSON");
        File.Delete(config);
    }
}
