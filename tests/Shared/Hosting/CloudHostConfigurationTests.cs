using System.Net;
using Cloud.Shared.Hosting;
using FluentAssertions;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Cloud.Shared.Tests.Hosting;

/// <summary>What a role takes from configuration and answers on /health, the same with or without reflection (the natively compiled agents).</summary>
[Collection(CloudHostCollection.Name)]
public sealed class CloudHostConfigurationTests
{
    [Fact]
    public async Task CreateBuilder_SerilogMinimumLevelAndOverride_AppliesBoth()
    {
        var builder = CloudHost.CreateBuilder(
            "test",
            ["--urls", "http://127.0.0.1:0", "--Serilog:MinimumLevel:Default=Warning", "--Serilog:MinimumLevel:Override:Cloud.Chatty=Debug"],
            DefaultUrls.Runner);
        await using var app = builder.Build();
        var loggers = app.Services.GetRequiredService<ILoggerFactory>();

        loggers.CreateLogger("Cloud.Quiet").IsEnabled(LogLevel.Information).Should().BeFalse();
        loggers.CreateLogger("Cloud.Quiet").IsEnabled(LogLevel.Warning).Should().BeTrue();
        loggers.CreateLogger("Cloud.Chatty.Loop").IsEnabled(LogLevel.Debug).Should().BeTrue();
        loggers.CreateLogger("Microsoft.AspNetCore.Routing").IsEnabled(LogLevel.Information).Should().BeFalse();
    }

    [Fact]
    public async Task CreateBuilder_NoLevelConfigured_LogsInformation()
    {
        var builder = CloudHost.CreateBuilder("test", ["--urls", "http://127.0.0.1:0"], DefaultUrls.Runner);
        await using var app = builder.Build();

        app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Cloud.Any").IsEnabled(LogLevel.Information).Should().BeTrue();
    }

    [Fact]
    public void CreateBuilder_UnknownLevel_FailsNamingTheKey()
    {
        var builder = CloudHost.CreateBuilder("test", ["--urls", "http://127.0.0.1:0", "--Serilog:MinimumLevel:Default=Loud"], DefaultUrls.Runner);

        var build = () =>
        {
            using var app = builder.Build();
            return app.Services.GetRequiredService<ILoggerFactory>();
        };

        build.Should().Throw<InvalidOperationException>().WithMessage("*Serilog:MinimumLevel*Loud*");
    }

    [Fact]
    public async Task MapCloudHealth_Running_AnswersStatusAndRole()
    {
        var builder = CloudHost.CreateBuilder("test", ["--urls", "http://127.0.0.1:0"], DefaultUrls.Runner);
        await using var app = builder.Build();
        app.MapCloudHealth();
        await app.StartAsync();
        var address = app.Urls.Single();
        using var http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(10) };

        using var response = await http.GetAsync(new Uri(CloudHost.HealthPath, UriKind.Relative));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        (await response.Content.ReadAsStringAsync()).Should().Be("""{"status":"ok","role":"test"}""");
        await app.StopAsync();
    }
}
