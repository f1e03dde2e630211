namespace Cloud.Proxy.Benchmarks;

/// <summary>One wrk run: requests/s, how many requests, and latency percentiles in milliseconds.</summary>
internal sealed record WrkResult(string Label, double RequestsPerSecond, long Requests, double P50Ms, double P99Ms, long NonOk, string? SocketErrors);
