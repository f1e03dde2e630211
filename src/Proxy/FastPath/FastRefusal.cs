namespace Cloud.Proxy.FastPath;

/// <summary>
/// One of the proxy's own answers (400/403/404/503 in Elasticsearch's error shape), the same status, type and reason
/// <see cref="Forwarding.ProxyRequestHandler"/> gives. <paramref name="Unrouted"/> is the metrics reason when the
/// request named no known cluster.
/// </summary>
internal sealed record FastRefusal(int Status, string Type, string Reason, string? Unrouted = null);
