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

    /// <summary>
    /// Traffic before a .NET proxy is measured: a profile of a 10 s warm-up under load average ~30 still showed the
    /// tiered JIT taking 9% of the proxy's CPU in the first measured round (1% in the second), so 20 s.
    /// </summary>
    private static readonly TimeSpan DotNetWarmup = TimeSpan.FromSeconds(20);

    private readonly List<Measurement> _results = [];

    public async Task RunAsync()
    {
        await using var server = await ZooKeeperServer.StartAsync();
        await using var zk = await ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions { ConnectString = server.ConnectString, SessionTimeout = TimeSpan.FromSeconds(30) });
        await using var nginx = await Nginx.StartAsync("node-a");
        await using var nginxB = await Nginx.StartAsync("node-b");
        await RegisterAllocatorAsync(zk);
        await WriteInstanceAsync(zk, "bench", "instance-0", nginx.Port);
        await using var proxy = await ProxyProcess.StartAsync(options.ProxyDll, server.ConnectString, "bench-proxy", options.Threads);
        await using var baseline = options.BaselineProxyDll is { } baselineDll
            ? await ProxyProcess.StartAsync(baselineDll, server.ConnectString, "bench-baseline", options.Threads, options.BaselineEnvironment)
            : null;
        Console.WriteLine($"nginx :{nginx.Port}, our proxy :{proxy.Port} (DOTNET_PROCESSOR_COUNT={options.Threads}), ZooKeeper {server.ConnectString}; wrk -t{options.Threads} -c{options.Connections} -d{options.Duration.TotalSeconds}s in two rounds, HAProxy nbthread {options.Threads}, {Environment.ProcessorCount} cores");
        if (baseline is not null)
        {
            Console.WriteLine($"baseline build :{baseline.Port}: {options.BaselineProxyDll} {string.Join(' ', (options.BaselineEnvironment ?? new Dictionary<string, string>()).Select(e => $"{e.Key}={e.Value}"))}");
        }

        var direct = new ProxyTarget("nginx direct (no proxy)", nginx.Port, () => TimeSpan.Zero, TimeSpan.Zero);
        await CompareAsync("direct", [direct], "bench.localhost", nginx);
        await using (var haproxy = await HaProxy.StartAsync(["bench"], nginx.Port, options.Threads))
        await using (var yarp = await YarpConfigProxy.StartAsync(new Dictionary<string, int> { ["bench"] = nginx.Port }))
        {
            await CompareAsync("1 cluster", Targets(haproxy, proxy, baseline, yarp), "bench.localhost", nginx);
        }

        if (options.ThroughputOnly)
        {
            PrintTable();
            return;
        }

        var stopwatch = Stopwatch.StartNew();
        var ids = Enumerable.Range(0, ManyClusters).Select(i => $"c{i:D5}").ToList();
        await WriteClustersAsync(zk, ids, nginx.Port);
        await WaitServedAsync(proxy, ids[^1]);
        Console.WriteLine($"10,000 clusters written and loaded by the proxy in {stopwatch.Elapsed.TotalSeconds:F1} s");
        if (baseline is not null)
        {
            await WaitServedAsync(baseline, ids[^1]);
        }

        string yarpChange;
        await using (var haproxy = await HaProxy.StartAsync([.. ids, "bench"], nginx.Port, options.Threads))
        {
            var table = ids.Append("bench").Append("flip").ToDictionary(id => id, _ => nginx.Port, StringComparer.Ordinal);
            stopwatch.Restart();
            await using var yarp = await YarpConfigProxy.StartAsync(table);
            await WaitServedAsync(yarp.Port, ids[^1]);
            Console.WriteLine($"YARP config provider: 10,000 routes loaded and served in {stopwatch.Elapsed.TotalSeconds:F1} s");
            await CompareAsync("10,000 clusters", Targets(haproxy, proxy, baseline, yarp), $"{ids[ManyClusters / 2]}.localhost", nginx);
            yarpChange = await MeasureYarpChangesAsync(yarp, table, nginx.Port, nginxB.Port);
        }

        var change = await MeasureChangesAsync(zk, proxy, nginx.Port);
        var kill = await MeasureKillAsync(zk, proxy, nginx, nginxB);

        PrintTable();
        Console.WriteLine();
        Console.WriteLine(change);
        Console.WriteLine(yarpChange);
        Console.WriteLine(kill);
    }

    private void PrintTable()
    {
        Console.WriteLine();
        Console.WriteLine("| run | requests/s | p50 ms | p99 ms | non-2xx | proxy CPU µs/request | nginx CPU µs/request | GCs per 1,000 requests |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in _results)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {r.Label} | {r.RequestsPerSecond:F0} | {r.P50Ms:F2} | {r.P99Ms:F2} | {r.NonOk} | {r.ProxyCpuUs:F1} | {r.NginxCpuUs:F1} | {(r.CollectionsPer1000 is { } gcs ? gcs.ToString("F2", CultureInfo.InvariantCulture) : "")} |"));
        }
    }

    private static List<ProxyTarget> Targets(HaProxy haproxy, ProxyProcess proxy, ProxyProcess? baseline, YarpConfigProxy yarp)
    {
        // The .NET proxies need traffic for the tiered JIT to finish (see DotNetWarmup); HAProxy only needs its
        // connection pool filled. YARP's config-provider proxy runs inside this process,
        // so its CPU figure is this process's (which does nothing else while wrk runs).
        var targets = new List<ProxyTarget>
        {
            new("HAProxy", haproxy.Port, () => haproxy.Cpu, TimeSpan.FromSeconds(3)),
            new("our proxy", proxy.Port, () => proxy.Cpu, DotNetWarmup, proxy.CollectionsAsync),
        };
        if (baseline is not null)
        {
            targets.Add(new("baseline build", baseline.Port, () => baseline.Cpu, DotNetWarmup, baseline.CollectionsAsync));
        }

        targets.Add(new("YARP config provider", yarp.Port, SelfCpu, DotNetWarmup));
        return targets;
    }

    private static TimeSpan SelfCpu()
    {
        using var self = Process.GetCurrentProcess();
        return ProcessCpu.Of(self);
    }

    /// <summary>
    /// Warms every target, then measures each for half the duration in one order and for the other half in the
    /// reverse order (ABBA), so a neighbour's load that grows or fades during the run weighs on all of them alike.
    /// </summary>
    private async Task CompareAsync(string scenario, List<ProxyTarget> targets, string host, Nginx nginx)
    {
        foreach (var target in targets.Where(t => t.Warmup > TimeSpan.Zero))
        {
            await Wrk.RunAsync("warmup", target.Port, host, options.Threads, options.Connections, target.Warmup);
        }

        var half = TimeSpan.FromSeconds(Math.Max(1, (int)options.Duration.TotalSeconds / 2));
        var rounds = targets.ToDictionary(t => t, _ => new List<(WrkResult Wrk, TimeSpan ProxyCpu, TimeSpan NginxCpu, long Collections)>());
        foreach (var order in new[] { targets, Enumerable.Reverse(targets).ToList() })
        {
            foreach (var target in order)
            {
                var collectionsBefore = target.Collections is { } before ? await before() : 0;
                var (proxyBefore, nginxBefore) = (target.Cpu(), nginx.Cpu);
                var wrk = await Wrk.RunAsync(target.Name, target.Port, host, options.Threads, options.Connections, half);
                var (proxyCpu, nginxCpu) = (target.Cpu() - proxyBefore, nginx.Cpu - nginxBefore);
                var collections = target.Collections is { } after ? await after() - collectionsBefore : 0;
                rounds[target].Add((wrk, proxyCpu, nginxCpu, collections));
            }
        }

        var measured = new Dictionary<ProxyTarget, Measurement>();
        foreach (var target in targets)
        {
            var runs = rounds[target];
            var requests = runs.Sum(r => r.Wrk.Requests);
            var seconds = runs.Sum(r => r.Wrk.Requests / r.Wrk.RequestsPerSecond);
            var label = targets.Count == 1 ? target.Name : $"{target.Name}, {scenario}";
            var result = new Measurement(
                label,
                requests / seconds,
                runs.Average(r => r.Wrk.P50Ms),
                runs.Average(r => r.Wrk.P99Ms),
                runs.Sum(r => r.Wrk.NonOk),
                runs.Sum(r => r.ProxyCpu.TotalMicroseconds) / requests,
                runs.Sum(r => r.NginxCpu.TotalMicroseconds) / requests,
                target.Collections is null ? null : runs.Sum(r => r.Collections) * 1000.0 / requests);
            measured[target] = result;
            _results.Add(result);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{label}: {result.RequestsPerSecond:F0} req/s (rounds {string.Join(" / ", runs.Select(r => r.Wrk.RequestsPerSecond.ToString("F0", CultureInfo.InvariantCulture)))}), p50 {result.P50Ms:F2} ms, p99 {result.P99Ms:F2} ms, non-2xx {result.NonOk} {runs[^1].Wrk.SocketErrors}, proxy CPU {result.ProxyCpuUs:F1} µs/request, nginx {result.NginxCpuUs:F1} µs/request{(result.CollectionsPer1000 is { } gcs ? $", {gcs:F2} GCs per 1,000 requests" : "")}"));
        }

        if (targets.Count > 1)
        {
            var haproxy = measured[targets[0]];
            foreach (var other in targets.Skip(1).Select(t => measured[t]))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {other.Label} / HAProxy = {other.RequestsPerSecond / haproxy.RequestsPerSecond:F2}x rps, p99 {other.P99Ms:F2} vs {haproxy.P99Ms:F2} ms, CPU/request {other.ProxyCpuUs / haproxy.ProxyCpuUs:F2}x ({other.ProxyCpuUs:F1} vs {haproxy.ProxyCpuUs:F1} µs)"));
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  load average after {scenario}: {File.ReadAllText("/proc/loadavg").Trim()}"));
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
