using Cloud.Runner.Benchmarks;

// Runner benchmark: definition written to ZooKeeper -> container running (p50/p99 over N, one at a
// time), and a cold reconcile of N definitions. Starts its own ZooKeeper; needs Docker.
// Then the runner and an allocator at rest, their memory: as built (dotnet Cloud.X.dll) and, given the
// folder run.sh published them to, as deployed (native executables).
// Usage: dotnet run -c Release --project benchmarks/Runner [-- <count> [<publish dir>]]
var count = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 50;
await RunnerBenchmark.RunAsync(count, args.Length > 1 ? args[1] : null);
