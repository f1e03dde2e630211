namespace Cloud.Proxy.Benchmarks;

/// <summary>One wrk run: requests/s and latency percentiles in milliseconds.</summary>
internal sealed record WrkResult(string Label, double RequestsPerSecond, double P50Ms, double P99Ms, long NonOk, string? SocketErrors);
