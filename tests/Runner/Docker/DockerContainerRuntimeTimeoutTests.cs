using System.Net;
using System.Net.Sockets;
using Cloud.Runner.Docker;
using Cloud.Runner.Hosting;
using FluentAssertions;
using Microsoft.Extensions.Options;
using Xunit;

namespace Cloud.Runner.Tests.Docker;

public sealed class DockerContainerRuntimeTimeoutTests
{
    [Fact]
    public async Task Calls_EngineAcceptsButNeverAnswers_FailWithinTheCallTimeout()
    {
        // An "engine" that takes connections and never says a word: a wedged dockerd.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var accepted = new List<Socket>();
        _ = Task.Run(async () =>
        {
            while (true)
            {
                accepted.Add(await silent.AcceptSocketAsync());
            }
        });
        var endpoint = $"tcp://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}";
        using var runtime = new DockerContainerRuntime(Options.Create(new RunnerOptions
        {
            HostId = "host-1",
            DataRoot = Path.GetTempPath(),
            DockerEndpoint = endpoint,
            DockerCallTimeout = TimeSpan.FromSeconds(1),
        }));

        // Without the call timeout this would wait out the client's 15-minute limit (and the guard would fire).
        var act = () => runtime.InspectAsync("anything", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        (await act.Should().ThrowAsync<ContainerRuntimeException>()).Which.Message.Should().Contain("within 1 s");
    }
}
