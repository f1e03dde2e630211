using System.Diagnostics;
using System.Net;
using Cloud.ElasticsearchNode.Tests.Harness;
using FluentAssertions;
using Xunit;

namespace Cloud.ElasticsearchNode.Tests.Rest;

/// <summary>
/// A lone node answers <c>GET /</c> as soon as HTTP is bound and recovers its local state (metadata, shards, translogs)
/// behind it, as Elasticsearch answers its root before its state is recovered: the platform's start target (routable
/// within a second of the container start) must not wait for a translog replay. Meanwhile health says red and requests
/// for data wait for the recovery instead of calling an index that is only still opening missing.
/// </summary>
public sealed class StartupRecoveryTests
{
    [Fact]
    public async Task Start_MetadataStillBeingRead_RootAnswersHealthIsRedAndDataWaitsForTheRecovery()
    {
        var dataPath = Path.Combine(Path.GetTempPath(), "es1-recovery-" + Guid.NewGuid().ToString("N")[..8]);
        // Stopped, not disposed: disposing would delete the data folder the second node starts on.
        var first = await InProcessNode.StartAsync(dataPath);
        (await first.PutAsync("/orders", new { settings = new { number_of_shards = 2, number_of_replicas = 0 } })).Status.Should().Be(HttpStatusCode.OK);
        var lines = Enumerable.Range(1, 3).SelectMany(i => new[] { $"{{\"index\":{{\"_index\":\"orders\",\"_id\":\"{i}\"}}}}", $"{{\"n\":{i}}}" });
        (await first.BulkAsync("/_bulk?refresh=true", lines)).Status.Should().Be(HttpStatusCode.OK);
        await first.StopAsync();

        // The metadata file becomes a FIFO: the restarted node's read of it blocks until this test writes the saved
        // content into it, so "still recovering" lasts exactly as long as the test needs, on any machine.
        var metadataFile = Path.Combine(dataPath, "_state", "metadata.json");
        var metadata = await File.ReadAllBytesAsync(metadataFile);
        File.Delete(metadataFile);
        await MakeFifoAsync(metadataFile);
        var released = false;
        async Task ReleaseAsync()
        {
            if (!released)
            {
                released = true;
                await File.WriteAllBytesAsync(metadataFile, metadata);
            }
        }

        // Built on another thread: a node that read its metadata before listening would block its caller right here.
        var starting = Task.Run(() => InProcessNode.StartAsync(dataPath));
        InProcessNode? node = null;
        try
        {
            node = await starting.WaitAsync(TimeSpan.FromSeconds(30));

            var (rootStatus, root) = await node.GetAsync("/");
            rootStatus.Should().Be(HttpStatusCode.OK);
            root!["tagline"]!.GetValue<string>().Should().Be("You Know, for Search");
            (await node.SendAsync(HttpMethod.Head, "/")).Status.Should().Be(HttpStatusCode.OK);
            var (healthStatus, health) = await node.GetAsync("/_cluster/health");
            healthStatus.Should().Be(HttpStatusCode.OK);
            health!["status"]!.GetValue<string>().Should().Be("red");
            (await node.GetAsync("/_cat/health?format=json")).Body![0]!["status"]!.GetValue<string>().Should().Be("red");

            // Asked before the index is known, the count is answered once it is, not with index_not_found.
            var count = node.GetAsync("/orders/_count");
            (await Task.WhenAny(count, Task.Delay(TimeSpan.FromMilliseconds(500)))).Should().NotBeSameAs(count, "the node has not read its metadata yet");

            await ReleaseAsync();
            var (countStatus, counted) = await count.WaitAsync(TimeSpan.FromSeconds(30));
            countStatus.Should().Be(HttpStatusCode.OK);
            counted!["count"]!.GetValue<long>().Should().Be(3);
            var (greenStatus, green) = await node.GetAsync("/_cluster/health?wait_for_status=green&timeout=30s");
            greenStatus.Should().Be(HttpStatusCode.OK);
            green!["status"]!.GetValue<string>().Should().Be("green");
            green["active_primary_shards"]!.GetValue<int>().Should().Be(2);
        }
        finally
        {
            // Unblocks a node still reading the FIFO (the failure case), so its start can finish and be disposed.
            await ReleaseAsync();
            node ??= await starting.WaitAsync(TimeSpan.FromSeconds(60));
            await node.DisposeAsync();
        }
    }

    private static async Task MakeFifoAsync(string path)
    {
        using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })
            ?? throw new InvalidOperationException("mkfifo did not start");
        await mkfifo.WaitForExitAsync();
        mkfifo.ExitCode.Should().Be(0);
    }
}
