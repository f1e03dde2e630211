using System.Text;
using Cloud.Shared.Containers;
using Cloud.Testing;
using FluentAssertions;
using Xunit;

namespace Cloud.Runner.Tests.Integration;

/// <summary>
/// Any value at <c>/cloud/containers/&lt;host&gt;/&lt;name&gt;</c> ends as a running container or a published
/// refusal: these definitions once threw out of the runner's loop, and a restarted runner died on them again.
/// </summary>
[Collection(RunnerIntegrationCollection.Name)]
[Trait("Category", "Integration")]
public sealed class HostileDefinitionTests(ZooKeeperFixture zk)
{
    private static readonly TimeSpan Converge = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Reconcile_HostileDefinitionsBesideGoodOnes_EachRefusedUnderItsOwnNameAndTheGoodOnesRun()
    {
        await using var host = new RunnerTestHost(zk.Client);
        const string image = "\"Image\":\"" + RunnerTestHost.Image + "\"";
        var hostile = new Dictionary<string, (string Json, string Reason)>
        {
            [host.ContainerName("null-bind")] = ("{" + image + ",\"HostConfig\":{\"Binds\":[null]}}", "Binds"),
            [host.ContainerName("null-port")] = ("{" + image + ",\"HostConfig\":{\"PortBindings\":{\"9200/tcp\":[null]}}}", "PortBindings"),
            [host.ContainerName("string-ulimit")] = ("{" + image + ",\"HostConfig\":{\"Ulimits\":[{\"Name\":\"nofile\",\"Soft\":\"many\",\"Hard\":1}]}}", "not a valid container definition"),
            [host.ContainerName("fraction-ulimit")] = ("{" + image + ",\"HostConfig\":{\"Ulimits\":[{\"Name\":\"nofile\",\"Soft\":1.5,\"Hard\":2}]}}", "not a valid container definition"),
            [host.HostId + "-bad name!"] = ("{" + image + "}", "is refused: Docker takes"),
        };
        foreach (var (name, (json, _)) in hostile)
        {
            await host.WriteRawAsync(name, Encoding.UTF8.GetBytes(json));
        }

        // Docker accepts upper case, so the runner does, and publishes under the very same name.
        var mixedCase = host.HostId + "-My-ES";
        var good = host.ContainerName("good");
        await host.WriteAsync(mixedCase, host.Elasticsearch(mixedCase, FreePorts.Next()));
        await host.WriteAsync(good, host.Elasticsearch(good, FreePorts.Next()));
        await using var runner = await RunnerHost.StartAsync(host.HostId, host.DataRoot, zk.Server.ConnectString);

        await host.WaitForStateAsync(mixedCase, ContainerStates.Running, Converge);
        await host.WaitForStateAsync(good, ContainerStates.Running, Converge);
        foreach (var (name, (_, reason)) in hostile)
        {
            var refused = await host.WaitForStateAsync(name, ContainerStates.Refused, Converge);
            refused.Error.Should().Contain(reason, because: name);
        }

        (await host.DockerContainersAsync()).Keys.Should().BeEquivalentTo([mixedCase, good]);
        runner.Service.FailedPasses.Should().Be(0, "a hostile definition is that definition's refusal, not a failed pass");

        // The loop is alive, not just lucky: a definition written now is still acted on.
        var later = host.ContainerName("later");
        await host.WriteAsync(later, host.Elasticsearch(later, FreePorts.Next()));
        await host.WaitForStateAsync(later, ContainerStates.Running, Converge);
    }

    [Fact]
    public async Task Reconcile_FileBindWhoseSourceIsMissing_WaitsWithErrorAndNeverMakesADirectory()
    {
        await using var host = new RunnerTestHost(zk.Client);
        var name = host.ContainerName("es-1");
        var hostsFile = $"{host.DataRoot}/{name}/unicast_hosts.txt";
        var baseline = host.Elasticsearch(name, FreePorts.Next());
        var spec = baseline with
        {
            HostConfig = baseline.HostConfig! with { Binds = [.. baseline.HostConfig!.Binds!.Value, $"{hostsFile}:/usr/share/elasticsearch/config/unicast_hosts.txt:ro"] },
        };
        await host.WriteAsync(name, spec);
        await using var runner = await RunnerHost.StartAsync(host.HostId, host.DataRoot, zk.Server.ConnectString);

        var waiting = await host.WaitForStateAsync(name, ContainerStates.Failed, Converge);
        waiting.Error.Should().Contain("unicast_hosts.txt").And.Contain("does not exist");
        Path.Exists(hostsFile).Should().BeFalse("neither the runner nor Docker may create a file bind's source as a directory");

        await File.WriteAllTextAsync(hostsFile, "127.0.0.1:9300\n");
        await host.WaitForStateAsync(name, ContainerStates.Running, Converge);
        File.Exists(hostsFile).Should().BeTrue();
        (await RunnerTestHost.DockerInspectAsync(name, "{{range .Mounts}}{{.Source}};{{end}}")).Should().Contain(hostsFile);
    }
}
