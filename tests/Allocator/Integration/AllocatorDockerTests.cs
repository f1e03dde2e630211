using System.Net.Http.Json;
using System.Text.Json;
using Cloud.Allocator.Tests.Support;
using Cloud.Testing;
using FluentAssertions;
using Xunit;
using Xunit.Abstractions;

namespace Cloud.Allocator.Tests.Integration;

/// <summary>
/// The allocator with a real runner process for the same host id and the real Docker Engine: an
/// assignment becomes a running Elasticsearch-compatible node, and allocator restarts leave it alone.
/// </summary>
[Collection(ZooKeeperCollection.Name)]
[Trait("Category", "Integration")]
public sealed class AllocatorDockerTests(ZooKeeperServerFixture zk, ITestOutputHelper output)
{
    private static readonly TimeSpan ContainerWait = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Assignment_WithRunner_RunsNodeWithSettingsAndSurvivesAllocatorRestart()
    {
        await LocalImages.ElasticsearchAsync("8.15.0");
        await using var bed = await AllocatorTestBed.CreateAsync(zk.Server.ConnectString, output);
        await using var runner = StartRunner(bed);
        try
        {
            var first = await bed.StartAllocatorAsync();
            await bed.AssignAsync(AllocatorTestBed.Assignment(bed.ClusterId, "instance-0", 1024, "instance-0"));

            var status = await Eventually.GetAsync(
                async () => (await bed.StatusAsync("instance-0"))?.Value is { ContainerState: "running", Probe.Reachable: true } s ? s : null,
                ContainerWait, "instance running and answering", TimeSpan.FromMilliseconds(250));

            status.Probe!.NodeName.Should().Be("instance-0");
            status.Probe.ClusterName.Should().Be($"logs-{bed.ClusterId}");
            status.Probe.ClusterUuid.Should().NotBeNullOrEmpty();
            status.Probe.Version.Should().Be("8.15.0");
            var name = bed.ContainerName("instance-0");
            var inspect = await InspectAsync(name);
            var env = inspect.GetProperty("Config").GetProperty("Env").EnumerateArray().Select(e => e.GetString()).ToList();
            env.Should().Contain(
            [
                "node.name=instance-0", $"cluster.name=logs-{bed.ClusterId}", "node.roles=master,data,ingest", "node.attr.zone=zone-1",
                "cluster.initial_master_nodes=instance-0", "ES_JAVA_OPTS=-Xms512m -Xmx512m", "path.data=/usr/share/elasticsearch/data",
                $"http.publish_port={status.HttpPort}", $"transport.publish_port={status.TransportPort}",
            ]);
            var hostConfig = inspect.GetProperty("HostConfig");
            hostConfig.GetProperty("Memory").GetInt64().Should().Be(1024L * 1024 * 1024);
            hostConfig.GetProperty("PortBindings").GetProperty("9200/tcp")[0].GetProperty("HostPort").GetString().Should().Be(status.HttpPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var dataDir = Path.Combine(bed.DataRoot, bed.AllocatorId, bed.InstanceId("instance-0"), "data");
            hostConfig.GetProperty("Binds").EnumerateArray().Select(b => b.GetString()).Should().Contain($"{dataDir}:/usr/share/elasticsearch/data");
            inspect.GetProperty("Config").GetProperty("Labels").GetProperty("cloud.runner.host").GetString().Should().Be(bed.HostId);
            using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) })
            {
                var root = await http.GetFromJsonAsync<JsonElement>(new Uri($"http://127.0.0.1:{status.HttpPort}/"));
                root.GetProperty("name").GetString().Should().Be("instance-0");
                root.GetProperty("cluster_uuid").GetString().Should().Be(status.Probe.ClusterUuid);
            }

            Directory.EnumerateFileSystemEntries(dataDir).Should().NotBeEmpty("the node keeps its state in the per-instance data dir");
            var containerId = inspect.GetProperty("Id").GetString();
            var startedAt = inspect.GetProperty("State").GetProperty("StartedAt").GetString();

            await first.StopAsync();
            var second = await bed.StartAllocatorAsync();
            await Eventually.AssertAsync(() => Task.FromResult(second.Reconciler.LastPlan is not null), AllocatorTestBed.Wait, "a full pass after restart");
            await Eventually.AssertAsync(
                async () => (await bed.StatusAsync("instance-0"))?.Value is { ContainerState: "running", Probe.Reachable: true },
                AllocatorTestBed.Wait, "still running after restart");

            var after = await InspectAsync(name);
            after.GetProperty("Id").GetString().Should().Be(containerId, "a restarted allocator must not recreate its instances");
            after.GetProperty("State").GetProperty("StartedAt").GetString().Should().Be(startedAt);

            await bed.UnassignAsync("instance-0");

            await Eventually.AssertAsync(
                async () => (await DockerEngine.CliAsync("ps", "-aq", "--filter", $"name=^{name}$")).Length == 0,
                ContainerWait, "container removed once unassigned");
            Directory.Exists(dataDir).Should().BeTrue("data dirs are never deleted by the allocator");
        }
        finally
        {
            foreach (var line in runner.Process.Output.TakeLast(40))
            {
                output.WriteLine("[runner] " + line);
            }

            // The runner goes first: while it runs it recreates whatever is removed under a definition it still holds,
            // and such a container outlives the test (it then dies on the deleted data dir, and stays behind).
            await runner.DisposeAsync();
            await DockerEngine.RemoveContainersLabelledAsync("cloud.runner.host=" + bed.HostId);
        }
    }

    private static RoleProcess StartRunner(AllocatorTestBed bed) => RoleProcess.Start("Runner", new Dictionary<string, string>
    {
        ["ZooKeeper:ConnectString"] = bed.ConnectString,
        ["Runner:HostId"] = bed.HostId,
        ["Runner:DataRoot"] = bed.DataRoot,
    });

    private static async Task<JsonElement> InspectAsync(string container)
    {
        var json = await DockerEngine.CliAsync("inspect", container);
        return JsonDocument.Parse(json).RootElement[0].Clone();
    }
}
