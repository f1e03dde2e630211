using Cloud.Runner.Benchmarks;

// Runner benchmark: definition written to ZooKeeper -> container running (p50/p99 over N, one at a
// time), and a cold reconcile of N definitions. Starts its own ZooKeeper; needs Docker.
// Usage: dotnet run -c Release --project benchmarks/Runner [-- <count>]
var count = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 50;
await RunnerBenchmark.RunAsync(count);
