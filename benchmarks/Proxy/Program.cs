using Cloud.Proxy.Benchmarks;

// Proxy benchmark (benchmarks/Proxy/run.sh): our proxy and HAProxy side by side, one run.
// Usage: Cloud.Proxy.Benchmarks <path to Cloud.Proxy.dll> [seconds per wrk run=15] [connections=64] [threads=2] [baseline Cloud.Proxy.dll]
if (args.Length < 1)
{
    Console.Error.WriteLine("usage: Cloud.Proxy.Benchmarks <Cloud.Proxy.dll> [seconds=15] [connections=64] [threads=2] [baseline Cloud.Proxy.dll]");
    return 2;
}

var options = new BenchmarkOptions(
    ProxyDll: Path.GetFullPath(args[0]),
    Duration: TimeSpan.FromSeconds(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 15),
    Connections: args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 64,
    Threads: args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 2,
    BaselineProxyDll: args.Length > 4 && args[4].Length > 0 ? Path.GetFullPath(args[4]) : null,
    BaselineEnvironment: EnvironmentList(Environment.GetEnvironmentVariable("BENCH_BASELINE_ENV")),
    ThroughputOnly: Environment.GetEnvironmentVariable("BENCH_THROUGHPUT_ONLY") == "1");
await new ProxyBenchmark(options).RunAsync();
return 0;

// "NAME=value NAME2=value2" -> dictionary.
static Dictionary<string, string> EnvironmentList(string? list) =>
    (list ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries)
        .Select(pair => pair.Split('=', 2))
        .ToDictionary(pair => pair[0], pair => pair.Length > 1 ? pair[1] : string.Empty, StringComparer.Ordinal);
