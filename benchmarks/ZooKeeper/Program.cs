using System.Diagnostics;
using System.Globalization;
using Cloud.ZooKeeper;
using Cloud.ZooKeeper.Benchmarks;

// Pipelined async getData / setData of small values on one session, `concurrency` requests in flight;
// then one getData at a time (each awaited before the next) for latency percentiles.
var options = BenchmarkOptions.Parse(args);
await using var client = await ZooKeeperClient.ConnectAsync(new ZooKeeperClientOptions
{
    ConnectString = options.ConnectString,
    SessionTimeout = TimeSpan.FromSeconds(30),
    RequestTimeout = TimeSpan.FromSeconds(60),
});
var path = "/bench-dotnet";
var value = new byte[options.ValueBytes];
Random.Shared.NextBytes(value);
await client.CreateRecursiveAsync(path);
await client.SetDataAsync(path, value);
var session = client.SessionId;

async Task<double> RunAsync(string name, Func<Task> operation, int operations)
{
    var remaining = operations;
    var stopwatch = Stopwatch.StartNew();
    async Task WorkerAsync()
    {
        while (Interlocked.Decrement(ref remaining) >= 0)
        {
            await operation();
        }
    }

    await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(_ => Task.Run(WorkerAsync)));
    var opsPerSecond = operations / stopwatch.Elapsed.TotalSeconds;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RESULT dotnet {name} {opsPerSecond:F0}"));
    return opsPerSecond;
}

// Warm up (JIT, pools), then measure.
await RunAsync("warmup-getData", () => client.GetDataAsync(path), Math.Min(options.Operations / 5, 20_000));
await RunAsync("warmup-setData", () => client.SetDataAsync(path, value), Math.Min(options.Operations / 5, 20_000));
await RunAsync("getData", () => client.GetDataAsync(path), options.Operations);
await RunAsync("setData", () => client.SetDataAsync(path, value), options.Operations);

async Task LatencyAsync(string name, int calls)
{
    var samples = new double[calls];
    for (var i = 0; i < calls; i++)
    {
        var start = Stopwatch.GetTimestamp();
        await client.GetDataAsync(path);
        samples[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
    }

    Array.Sort(samples);
    double At(double quantile) => samples[Math.Min(calls - 1, (int)(quantile * calls))];
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"LATENCY dotnet {name} {At(0.50):F0} {At(0.99):F0}"));
}

await LatencyAsync("warmup-getData-sync", options.SyncCalls / 4);
await LatencyAsync("getData-sync", options.SyncCalls);

if (client.SessionId != session || client.State != ConnectionState.Connected)
{
    Console.Error.WriteLine("The session changed or the connection dropped during the benchmark.");
    return 1;
}

return 0;
