using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using Cloud.Runner.Docker;
using Cloud.Runner.Hosting;
using Cloud.Shared.Containers;
using Cloud.Shared.Coordination;
using Cloud.Shared.Serialization;
using Cloud.Testing;
using Cloud.ZooKeeper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cloud.Runner.Benchmarks;

internal static class RunnerBenchmark
{
    private const string Image = "cloud/elasticsearch:8.15.0";

    /// <param name="publishDir">Where run.sh published the agents (<c>runner/</c>, <c>allocator/</c>), or null.</param>
    public static async Task RunAsync(int count, string? publishDir)
    {
        await DockerEngine.EnsureRunningAsync();
        await LocalImages.ElasticsearchAsync("8.15.0");
        await using var server = await ZooKeeperServer.StartAsync();
        await using var client = await ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions { ConnectString = server.ConnectString });
        Console.WriteLine($"runner benchmark: {count} containers, ZooKeeper {server.ConnectString}, {Environment.ProcessorCount} cores");

        await OneAtATimeAsync(client, server.ConnectString, count);
        await ColdStartAsync(client, server.ConnectString, count);
        await AgentsAtRest.RunAsync(client, server.ConnectString, Math.Min(count, 10), publishDir);
    }

    /// <summary>Writes definitions one after another; each latency is write acknowledged -> the engine's start event.</summary>
    private static async Task OneAtATimeAsync(ZooKeeperClient client, string connectString, int count)
    {
        var hostId = "bench-" + Guid.NewGuid().ToString("N")[..8];
        var dataRoot = Path.Combine(Path.GetTempPath(), "runner-" + hostId);
        using var runtime = new DockerContainerRuntime(Options.Create(new RunnerOptions { HostId = hostId, DataRoot = dataRoot }));
        using var events = new CancellationTokenSource();
        var started = new ConcurrentDictionary<string, long>();
        var watch = Task.Run(async () =>
        {
            try
            {
                await foreach (var e in runtime.WatchAsync(hostId, events.Token))
                {
                    if (e.Action == "start" && e.ContainerName is { } name)
                    {
                        started.TryAdd(name, Stopwatch.GetTimestamp());
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        });

        try
        {
            await using var runner = await StartRunnerAsync(hostId, dataRoot, connectString);
            await client.CreateRecursiveAsync(CloudPaths.ContainersOf(hostId), null, CancellationToken.None);
            await Task.Delay(1000);
            var latencies = new List<double>();
            for (var i = 0; i < count; i++)
            {
                var name = $"{hostId}-{i:D3}";
                var begin = Stopwatch.GetTimestamp();
                await client.CreateAsync(CloudPaths.Container(hostId, name), ContainerSpecJson.Serialize(Spec(name, dataRoot)), CreateMode.Persistent, null, CancellationToken.None);
                while (!started.ContainsKey(name))
                {
                    await Task.Delay(2);
                }

                latencies.Add(Stopwatch.GetElapsedTime(begin, started[name]).TotalMilliseconds);
            }

            latencies.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"definition written -> container running (one at a time, n={count}): p50 {Percentile(latencies, 0.50):F0} ms, p99 {Percentile(latencies, 0.99):F0} ms, min {latencies[0]:F0} ms, max {latencies[^1]:F0} ms"));
        }
        finally
        {
            await events.CancelAsync();
            await watch;
            await CleanUpAsync(hostId, dataRoot);
        }
    }

    /// <summary>All definitions exist before the runner starts; measures runner start -> all running, and -> all published.</summary>
    private static async Task ColdStartAsync(ZooKeeperClient client, string connectString, int count)
    {
        var hostId = "bench-" + Guid.NewGuid().ToString("N")[..8];
        var dataRoot = Path.Combine(Path.GetTempPath(), "runner-" + hostId);
        using var runtime = new DockerContainerRuntime(Options.Create(new RunnerOptions { HostId = hostId, DataRoot = dataRoot }));
        try
        {
            for (var i = 0; i < count; i++)
            {
                var name = $"{hostId}-{i:D3}";
                await client.CreateRecursiveAsync(CloudPaths.Container(hostId, name), ContainerSpecJson.Serialize(Spec(name, dataRoot)), CancellationToken.None);
            }

            var begin = Stopwatch.GetTimestamp();
            await using var runner = await StartRunnerAsync(hostId, dataRoot, connectString);
            TimeSpan? allRunning = null;
            while (true)
            {
                if (allRunning is null)
                {
                    var owned = await runtime.ListOwnedAsync(hostId, CancellationToken.None);
                    if (owned.Length == count && owned.All(c => c.Status == "running"))
                    {
                        allRunning = Stopwatch.GetElapsedTime(begin);
                    }
                }

                if (allRunning is not null && await AllPublishedRunningAsync(client, hostId, count))
                {
                    break;
                }

                await Task.Delay(50);
            }

            var allPublished = Stopwatch.GetElapsedTime(begin);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"cold reconcile of {count} definitions: all running after {allRunning!.Value.TotalSeconds:F2} s, all published as running after {allPublished.TotalSeconds:F2} s"));
        }
        finally
        {
            await CleanUpAsync(hostId, dataRoot);
        }
    }

    internal static async Task<bool> AllPublishedRunningAsync(ZooKeeperClient client, string hostId, int count)
    {
        ChildrenResult children;
        try
        {
            children = await client.GetChildrenAsync(CloudPaths.InspectOf(hostId), null, CancellationToken.None);
        }
        catch (NoNodeException)
        {
            return false;
        }

        if (children.Children.Count < count)
        {
            return false;
        }

        foreach (var child in children.Children)
        {
            var data = await client.GetDataAsync(CloudPaths.InspectedContainer(hostId, child), null, CancellationToken.None);
            if (CloudJson.Deserialize<ContainerObservation>(data.Data).State != ContainerStates.Running)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A node definition; its data directory is created here, as the allocator would (the runner never creates bind sources).</summary>
    internal static ContainerSpec Spec(string name, string dataRoot)
    {
        Directory.CreateDirectory($"{dataRoot}/{name}/data");
        return Node(name, dataRoot);
    }

    private static ContainerSpec Node(string name, string dataRoot) => new()
    {
        Image = Image,
        Env = [$"node.name={name}", "cluster.name=bench"],
        HostConfig = new HostConfigSpec
        {
            PortBindings = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal,
                [new KeyValuePair<string, ImmutableArray<PortBindingSpec>>("9200/tcp", [new PortBindingSpec("127.0.0.1", FreePorts.Next().ToString(CultureInfo.InvariantCulture))])]),
            Binds = [$"{dataRoot}/{name}/data:/data"],
            Memory = 256L * 1024 * 1024,
            RestartPolicy = new RestartPolicySpec(RestartPolicySpec.UnlessStopped),
        },
        StopTimeout = 2,
    };

    private static async Task<IAsyncDisposable> StartRunnerAsync(string hostId, string dataRoot, string connectString)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Runner:HostId"] = hostId,
            ["Runner:DataRoot"] = dataRoot,
            ["ZooKeeper:ConnectString"] = connectString,
        });
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        builder.Services.AddRunner(builder.Configuration);
        var host = builder.Build();
        await host.StartAsync();
        return new StoppingHost(host);
    }

    internal static async Task CleanUpAsync(string hostId, string dataRoot)
    {
        await DockerEngine.RemoveContainersLabelledAsync(OwnerLabels.FilterFor(hostId));
        try
        {
            Directory.Delete(dataRoot, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    private sealed class StoppingHost(IHost host) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await host.StopAsync();
            host.Dispose();
        }
    }
}
