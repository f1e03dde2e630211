using System.Diagnostics;
using System.Globalization;
using Cloud.Shared.Allocators;
using Cloud.Shared.Coordination;
using Cloud.Shared.Routing;
using Cloud.Shared.Serialization;
using Cloud.Testing;
using Cloud.ZooKeeper;

namespace Cloud.Proxy.Benchmarks;

/// <summary>
/// Throughput and latency through our proxy and through HAProxy to the same nginx, with 1 and with
/// 10,000 clusters configured; then, at 10,000 clusters, routing change → applied (p50/p99) and
/// backend kill → out of rotation.
/// </summary>
internal sealed class ProxyBenchmark(BenchmarkOptions options)
{
    private const int ManyClusters = 10_000;
    private const int Changes = 200;
    private const string Allocator = "bench-alloc";

    private readonly List<WrkResult> _results = [];

    public async Task RunAsync()
    {
        await using var server = await ZooKeeperServer.StartAsync();
        await using var zk = await ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions { ConnectString = server.ConnectString, SessionTimeout = TimeSpan.FromSeconds(30) });
        await using var nginx = await Nginx.StartAsync("node-a");
        await using var nginxB = await Nginx.StartAsync("node-b");
        await RegisterAllocatorAsync(zk);
        await WriteInstanceAsync(zk, "bench", "instance-0", nginx.Port);
        await using var proxy = await ProxyProcess.StartAsync(options.ProxyDll, server.ConnectString);
        Console.WriteLine($"nginx :{nginx.Port}, our proxy :{proxy.Port}, ZooKeeper {server.ConnectString}; wrk -t{options.Threads} -c{options.Connections} -d{options.Duration.TotalSeconds}s, HAProxy nbthread {options.Threads}, {Environment.ProcessorCount} cores");

        await WrkAsync("nginx direct (baseline)", nginx.Port, "bench.localhost");
        await using (var haproxy = await HaProxy.StartAsync(["bench"], nginx.Port, options.Threads))
        await using (var yarp = await YarpConfigProxy.StartAsync(new Dictionary<string, int> { ["bench"] = nginx.Port }))
        {
            await CompareAsync("1 cluster", haproxy.Port, proxy.Port, yarp.Port, "bench.localhost");
        }

        var stopwatch = Stopwatch.StartNew();
        var ids = Enumerable.Range(0, ManyClusters).Select(i => $"c{i:D5}").ToList();
        await WriteClustersAsync(zk, ids, nginx.Port);
        await WaitServedAsync(proxy, ids[^1]);
        Console.WriteLine($"10,000 clusters written and loaded by the proxy in {stopwatch.Elapsed.TotalSeconds:F1} s");
        string yarpChange;
        await using (var haproxy = await HaProxy.StartAsync([.. ids, "bench"], nginx.Port, options.Threads))
        {
            var table = ids.Append("bench").Append("flip").ToDictionary(id => id, _ => nginx.Port, StringComparer.Ordinal);
            stopwatch.Restart();
            await using var yarp = await YarpConfigProxy.StartAsync(table);
            await WaitServedAsync(yarp.Port, ids[^1]);
            Console.WriteLine($"YARP config provider: 10,000 routes loaded and served in {stopwatch.Elapsed.TotalSeconds:F1} s");
            await CompareAsync("10,000 clusters", haproxy.Port, proxy.Port, yarp.Port, $"{ids[ManyClusters / 2]}.localhost");
            yarpChange = await MeasureYarpChangesAsync(yarp, table, nginx.Port, nginxB.Port);
        }

        var change = await MeasureChangesAsync(zk, proxy, nginx.Port);
        var kill = await MeasureKillAsync(zk, proxy, nginx, nginxB);

        Console.WriteLine();
        Console.WriteLine("| run | requests/s | p50 ms | p99 ms | non-2xx |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
        foreach (var r in _results)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {r.Label} | {r.RequestsPerSecond:F0} | {r.P50Ms:F2} | {r.P99Ms:F2} | {r.NonOk} |"));
        }

        Console.WriteLine();
        Console.WriteLine(change);
        Console.WriteLine(yarpChange);
        Console.WriteLine(kill);
    }

    private async Task CompareAsync(string scenario, int haproxyPort, int proxyPort, int yarpPort, string host)
    {
        // Warm all (connection pools; for the .NET ones also tiered JIT, which needs more than a few seconds on a
        // loaded 2-core machine), then measure each in turn. Steady state is what is compared.
        await Wrk.RunAsync("warmup", haproxyPort, host, options.Threads, options.Connections, TimeSpan.FromSeconds(3));
        await Wrk.RunAsync("warmup", proxyPort, host, options.Threads, options.Connections, TimeSpan.FromSeconds(10));
        await Wrk.RunAsync("warmup", yarpPort, host, options.Threads, options.Connections, TimeSpan.FromSeconds(10));
        var haproxy = await WrkAsync($"HAProxy, {scenario}", haproxyPort, host);
        var ours = await WrkAsync($"our proxy, {scenario}", proxyPort, host);
        var yarp = await WrkAsync($"YARP config provider, {scenario}", yarpPort, host);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {scenario}: ours/HAProxy = {ours.RequestsPerSecond / haproxy.RequestsPerSecond:F2}x rps, p99 {ours.P99Ms:F2} vs {haproxy.P99Ms:F2} ms; YARP config provider/HAProxy = {yarp.RequestsPerSecond / haproxy.RequestsPerSecond:F2}x, p99 {yarp.P99Ms:F2} ms"));
    }

    /// <summary>
    /// The config-provider design's routing change at 10,000 clusters: one cluster moved between two backends means a
    /// new snapshot of the whole table; timed from the update to the first response from the new backend.
    /// </summary>
    private static async Task<string> MeasureYarpChangesAsync(YarpConfigProxy yarp, Dictionary<string, int> table, int portA, int portB)
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri($"http://127.0.0.1:{yarp.Port}") };
        var samples = new List<double>();
        var updates = new List<double>();
        for (var i = 0; i < Changes / 4; i++)
        {
            var (port, name) = i % 2 == 0 ? (portB, "node-b") : (portA, "node-a");
            table["flip"] = port;
            var started = Stopwatch.GetTimestamp();
            updates.Add(yarp.Update(table).TotalMilliseconds);
            while (true)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/");
                request.Headers.Host = $"flip.localhost:{yarp.Port}";
                using var response = await client.SendAsync(request);
                if ((await response.Content.ReadAsStringAsync()).Contains($"\"name\":\"{name}\"", StringComparison.Ordinal))
                {
                    break;
                }
            }

            samples.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        samples.Sort();
        updates.Sort();
        return string.Create(CultureInfo.InvariantCulture,
            $"YARP config provider, routing change -> applied at 10,000 clusters (n={samples.Count}, whole-table update to first response from the new backend): p50 {Percentile(samples, 50):F1} ms, p99 {Percentile(samples, 99):F1} ms, max {samples[^1]:F1} ms (the Update call alone p50 {Percentile(updates, 50):F1} ms)");
    }

    private async Task<WrkResult> WrkAsync(string label, int port, string host)
    {
        var result = await Wrk.RunAsync(label, port, host, options.Threads, options.Connections, options.Duration);
        _results.Add(result);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label}: {result.RequestsPerSecond:F0} req/s, p50 {result.P50Ms:F2} ms, p99 {result.P99Ms:F2} ms, non-2xx {result.NonOk} {result.SocketErrors}"));
        return result;
    }

    /// <summary>Flips a pin override between two instances and times write → the proxy answering from the pinned one.</summary>
    private static async Task<string> MeasureChangesAsync(ZooKeeperClient zk, ProxyProcess proxy, int backendPort)
    {
        await WriteInstanceAsync(zk, "flip", "instance-0", backendPort);
        await WriteInstanceAsync(zk, "flip", "instance-1", backendPort);
        await WaitServedAsync(proxy, "flip");
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri($"http://127.0.0.1:{proxy.Port}") };
        var samples = new List<double>();
        for (var i = 0; i < Changes; i++)
        {
            var pinned = $"instance-{i % 2}";
            var routingOverride = new RoutingOverride { Action = RoutingOverrideActions.Pin, Instances = [pinned], Reason = "benchmark", Author = "bench", CreatedAt = DateTimeOffset.UtcNow };
            var started = Stopwatch.GetTimestamp();
            await zk.UpsertAsync(CloudPaths.Override("flip", "pin"), CloudJson.Serialize(routingOverride));
            while (true)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/");
                request.Headers.Host = $"flip.localhost:{proxy.Port}";
                using var response = await client.SendAsync(request);
                if (response.Headers.TryGetValues("X-Found-Handling-Instance", out var values) && values.First() == pinned)
                {
                    break;
                }
            }

            samples.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        samples.Sort();
        return string.Create(CultureInfo.InvariantCulture, $"routing change -> applied at 10,000 clusters (n={Changes}, ZooKeeper write to first response from the new pin): p50 {Percentile(samples, 50):F1} ms, p99 {Percentile(samples, 99):F1} ms, max {samples[^1]:F1} ms");
    }

    /// <summary>Kills one of two backends under load and times until the proxy lists it out of rotation.</summary>
    private static async Task<string> MeasureKillAsync(ZooKeeperClient zk, ProxyProcess proxy, Nginx survivor, Nginx victim)
    {
        await WriteInstanceAsync(zk, "kill", "instance-live", survivor.Port);
        await WriteInstanceAsync(zk, "kill", "instance-dies", victim.Port);
        await WaitServedAsync(proxy, "kill");
        using var cancel = new CancellationTokenSource();
        long ok = 0;
        long failed = 0;
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri($"http://127.0.0.1:{proxy.Port}") };
        var workers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            while (!cancel.IsCancellationRequested)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/");
                request.Headers.Host = $"kill.localhost:{proxy.Port}";
                try
                {
                    using var response = await client.SendAsync(request, cancel.Token);
                    Interlocked.Increment(ref response.IsSuccessStatusCode ? ref ok : ref failed);
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref failed);
                }
                catch (OperationCanceledException)
                {
                }
            }
        })).ToArray();
        await Task.Delay(TimeSpan.FromSeconds(2));
        var victimAddress = $"127.0.0.1:{victim.Port}";
        var started = Stopwatch.GetTimestamp();
        victim.Kill();
        while (!(await proxy.HealthAsync()).GetProperty("out_of_rotation").EnumerateArray().Any(a => a.GetString() == victimAddress))
        {
            if (Stopwatch.GetElapsedTime(started) > TimeSpan.FromSeconds(30))
            {
                break;
            }
        }

        var outAfter = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        await Task.Delay(TimeSpan.FromSeconds(2));
        await cancel.CancelAsync();
        await Task.WhenAll(workers);
        return string.Create(CultureInfo.InvariantCulture, $"backend kill -> out of rotation: {outAfter:F1} ms (8 clients running throughout: {ok} ok, {failed} failed)");
    }

    private static double Percentile(List<double> sorted, int p) => sorted[Math.Clamp((int)Math.Ceiling(p / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static Task WaitServedAsync(ProxyProcess proxy, string clusterId) => WaitServedAsync(proxy.Port, clusterId);

    private static async Task WaitServedAsync(int port, string clusterId)
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/");
            request.Headers.Host = $"{clusterId}.localhost:{port}";
            using var response = await client.SendAsync(request);
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"cluster {clusterId} never became routable");
            }

            await Task.Delay(50);
        }
    }

    private static async Task RegisterAllocatorAsync(ZooKeeperClient zk)
    {
        var registration = new AllocatorRegistration { AllocatorId = Allocator, Host = "127.0.0.1", Zone = "zone-1", Capacity = new AllocatorCapacity(new MemoryCapacity(65536, 0)) };
        await zk.CreateRecursiveAsync(CloudPaths.Allocators);
        await zk.CreateAsync(CloudPaths.Allocator(Allocator), CloudJson.Serialize(registration), CreateMode.Ephemeral);
    }

    private static InstanceStatus Instance(string clusterId, string name, int port) => new()
    {
        ClusterId = clusterId,
        InstanceName = name,
        AllocatorId = Allocator,
        Zone = "zone-1",
        Host = "127.0.0.1",
        HttpPort = port,
        ContainerState = "running",
        Probe = new NodeProbe { Reachable = true },
    };

    private static async Task WriteInstanceAsync(ZooKeeperClient zk, string clusterId, string name, int port) =>
        await zk.UpsertAsync(CloudPaths.Instance(clusterId, name), CloudJson.Serialize(Instance(clusterId, name, port)));

    private static async Task WriteClustersAsync(ZooKeeperClient zk, List<string> ids, int port)
    {
        foreach (var batch in ids.Chunk(500))
        {
            await zk.MultiAsync([.. batch.SelectMany(id => new[]
            {
                Op.Create(CloudPaths.InstancesOf(id), []),
                Op.Create(CloudPaths.Instance(id, "instance-0"), CloudJson.Serialize(Instance(id, "instance-0", port))),
            })]);
        }
    }
}
