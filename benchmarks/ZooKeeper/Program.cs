using System.Diagnostics;
using System.Globalization;
using Cloud.ZooKeeper;
using Cloud.ZooKeeper.Benchmarks;

// Pipelined async getData / setData of small values on one session, `concurrency` requests in flight.
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

if (client.SessionId != session || client.State != ConnectionState.Connected)
{
    Console.Error.WriteLine("The session changed or the connection dropped during the benchmark.");
    return 1;
}

return 0;
