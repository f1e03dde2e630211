using Cloud.Shared.Hosting;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace Cloud.Shared.Tests.Hosting;

[Collection(CloudHostCollection.Name)]
public sealed class CloudHostTests
{
    [Fact]
    public async Task RunAsync_BackgroundLoopFails_ExitsWithCode1()
    {
        var builder = CloudHost.CreateBuilder("test", ["--urls", "http://127.0.0.1:0"], DefaultUrls.Runner);
        builder.Services.AddHostedService<FailingLoop>();

        var exitCode = await CloudHost.RunAsync(builder.Build()).WaitAsync(TimeSpan.FromSeconds(30));

        exitCode.Should().Be(1, "a role whose loop died must not look like a clean stop to its service manager");
    }

    [Fact]
    public async Task RunAsync_BackgroundLoopFailsWhileHostStillStarting_ExitsWithCode1()
    {
        // What a loaded machine does by chance, made certain: the loop dies while another service is
        // still starting, so the host's stop cancels its start instead of ending a running host.
        var builder = CloudHost.CreateBuilder("test", ["--urls", "http://127.0.0.1:0"], DefaultUrls.Runner);
        builder.Services.AddHostedService<FailingLoop>();
        builder.Services.AddHostedService<StartsUntilStopped>();

        var exitCode = await CloudHost.RunAsync(builder.Build()).WaitAsync(TimeSpan.FromSeconds(30));

        exitCode.Should().Be(1, "a loop that died during start-up is a failure, not a stop requested while starting");
    }

    [Fact]
    public async Task RunAsync_StoppedOnRequest_ExitsWithCode0()
    {
        var builder = CloudHost.CreateBuilder("test", ["--urls", "http://127.0.0.1:0"], DefaultUrls.Runner);
        builder.Services.AddHostedService<StoppingLoop>();

        var exitCode = await CloudHost.RunAsync(builder.Build()).WaitAsync(TimeSpan.FromSeconds(30));

        exitCode.Should().Be(0);
    }

    [Fact]
    public async Task RunAsync_StoppedWhileStarting_ExitsWithCode0()
    {
        var builder = CloudHost.CreateBuilder("test", ["--urls", "http://127.0.0.1:0"], DefaultUrls.Runner);
        builder.Services.AddHostedService<StopAtOnceLoop>();

        var exitCode = await CloudHost.RunAsync(builder.Build()).WaitAsync(TimeSpan.FromSeconds(30));

        exitCode.Should().Be(0, "SIGTERM during start-up is a clean stop, not a crash");
    }

    private sealed class StopAtOnceLoop(IHostApplicationLifetime lifetime) : BackgroundService
    {
        protected override Task ExecuteAsync(CancellationToken stoppingToken)
        {
            lifetime.StopApplication();
            return Task.CompletedTask;
        }
    }

    /// <summary>A service whose start lasts until the host is asked to stop (its start token is cancelled).</summary>
    private sealed class StartsUntilStopped : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.Delay(Timeout.Infinite, cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class FailingLoop : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            await Task.Yield();
            throw new InvalidOperationException("loop failed");
        }
    }

    private sealed class StoppingLoop(IHostApplicationLifetime lifetime) : BackgroundService
    {
        protected override Task ExecuteAsync(CancellationToken stoppingToken)
        {
            lifetime.ApplicationStarted.Register(lifetime.StopApplication);
            return Task.CompletedTask;
        }
    }
}
