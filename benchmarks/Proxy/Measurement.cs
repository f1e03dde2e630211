namespace Cloud.Proxy.Benchmarks;

/// <summary>
/// One proxy in one scenario, over both rounds: requests/s over the whole time, p50 and p99 as the mean of the
/// rounds' (wrk reports percentiles per run), the CPU time per request of the proxy's process and of nginx, and
/// garbage collections per 1,000 requests where the proxy reports them (null elsewhere).
/// </summary>
internal sealed record Measurement(string Label, double RequestsPerSecond, double P50Ms, double P99Ms, long NonOk, double ProxyCpuUs, double NginxCpuUs, double? CollectionsPer1000);
