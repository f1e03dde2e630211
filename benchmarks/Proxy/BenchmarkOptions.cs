namespace Cloud.Proxy.Benchmarks;

/// <param name="Threads">wrk threads, HAProxy's nbthread and our proxy's processor count.</param>
internal sealed record BenchmarkOptions(string ProxyDll, TimeSpan Duration, int Connections, int Threads);
