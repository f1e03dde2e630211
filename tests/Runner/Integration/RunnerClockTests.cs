using System.Text;
using Cloud.Runner.Docker;
using Cloud.Runner.Hosting;
using Cloud.Shared.Containers;
using Cloud.Testing;
using FluentAssertions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Cloud.Runner.Tests.Integration;

/// <summary>
/// The runner's loop keeps time on its <see cref="TimeProvider"/>: with the resync interval and the retry delay
/// set to an hour, a pass comes only when the fake clock moves an hour on. Were either waited for on the real
/// clock, the test would wait an hour. ZooKeeper's session and Docker keep real time.
/// </summary>
[Collection(RunnerIntegrationCollection.Name)]
[Trait("Category", "Integration")]
public sealed class RunnerClockTests(ZooKeeperFixture zk)
{
    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    [Fact]
    public async Task ResyncAndFailedPassRetry_ComeWhenTheRunnersClockHasMovedOn()
    {
        await using var host = new RunnerTestHost(zk.Client);
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        BreakableRuntime? runtime = null;

        // Definitions Docker refuses by name: each is published as refused by a successful pass, and starts nothing.
        var first = host.HostId + "-first!";
        await host.WriteRawAsync(first, Encoding.UTF8.GetBytes("{\"Image\":\"" + RunnerTestHost.Image + "\"}"));
        await using var runner = await RunnerHost.StartAsync(
            host.HostId,
            host.DataRoot,
            zk.Server.ConnectString,
            new Dictionary<string, string?> { ["Runner:ResyncInterval"] = Hour.ToString(), ["Runner:RetryDelay"] = Hour.ToString() },
            services =>
            {
                services.AddSingleton<DockerContainerRuntime>();
                services.AddSingleton<IContainerRuntime>(sp => runtime = new BreakableRuntime(sp.GetRequiredService<DockerContainerRuntime>()));
                services.AddSingleton(sp => ActivatorUtilities.CreateInstance<RunnerService>(sp, time));
            });
        await host.WaitForStateAsync(first, ContainerStates.Refused, Converge);
        await Eventually.AssertAsync(() => Task.FromResult(runner.Service.LastPass?.Desired.IsAuthoritative == true), Converge, "an authoritative pass");

        // Resync: nothing changes, the runner's clock moves an hour on, and a pass comes.
        var passes = runner.Service.Passes;
        time.Advance(Hour);
        await Eventually.AssertAsync(() => Task.FromResult(runner.Service.Passes > passes), Converge, "the resync pass an hour later on the runner's clock");

        // A failed pass is retried once its backoff (at most the retry delay) has passed on the runner's clock.
        runtime!.Broken = true;
        var second = host.HostId + "-second!";
        await host.WriteRawAsync(second, Encoding.UTF8.GetBytes("{\"Image\":\"" + RunnerTestHost.Image + "\"}"));
        await Eventually.AssertAsync(() => Task.FromResult(runner.Service.FailedPasses >= 1), Converge, "the pass woken by the new definition to fail");
        runtime.Broken = false;
        time.Advance(Hour);
        await host.WaitForStateAsync(second, ContainerStates.Refused, Converge);
        runner.Service.LastPass!.Desired.Containers.Should().ContainKey(second);
    }
}
