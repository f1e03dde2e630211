namespace Cloud.Proxy.Benchmarks;

/// <summary>
/// One proxy wrk is pointed at: where it listens, how to read its CPU time, how long it needs to warm up, and (for
/// our proxy's processes) how to read its garbage collection count.
/// </summary>
internal sealed record ProxyTarget(string Name, int Port, Func<TimeSpan> Cpu, TimeSpan Warmup, Func<Task<long>>? Collections = null);
