namespace Cloud.Proxy.Benchmarks;

/// <param name="Threads">wrk threads, HAProxy's nbthread and our proxy's processor count.</param>
/// <param name="BaselineProxyDll">Another build of the proxy (before a change) measured beside ours in the same run; null for none.</param>
/// <param name="BaselineEnvironment">Environment variables for the baseline's process only, to compare a runtime setting side by side.</param>
/// <param name="ThroughputOnly">Only the 1-cluster throughput comparison: the quick loop while tuning.</param>
internal sealed record BenchmarkOptions(
    string ProxyDll,
    TimeSpan Duration,
    int Connections,
    int Threads,
    string? BaselineProxyDll = null,
    IReadOnlyDictionary<string, string>? BaselineEnvironment = null,
    bool ThroughputOnly = false);
