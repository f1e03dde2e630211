using System.ComponentModel.DataAnnotations;

namespace Cloud.Proxy;

/// <summary>How the proxy routes (configuration section <c>Proxy</c>).</summary>
public sealed class ProxyOptions
{
    public const string Section = "Proxy";

    /// <summary>Clients reach cluster <c>C</c> at <c>C.&lt;Domain&gt;</c> on any port.</summary>
    [Required]
    public string Domain { get; set; } = "localhost";

    /// <summary>This proxy's liveness node is <c>/cloud/proxies/&lt;ProxyId&gt;</c>; defaults to the machine name.</summary>
    public string? ProxyId { get; set; }

    /// <summary>The proxy's own zone: instances there are preferred while any of them is healthy.</summary>
    public string? Zone { get; set; }

    /// <summary>Peers (CIDRs) whose <c>X-Forwarded-For</c> is believed when applying traffic filters.</summary>
    public List<string> TrustedProxies { get; set; } = [];

    /// <summary>
    /// Plain HTTP/1.1 requests go through the proxy's own forwarding core (FastPath/) instead of Kestrel's HTTP stack
    /// and YARP; whatever it does not take (upgrades, HTTP/2, Expect, refusals, ...) still goes the ordinary way.
    /// </summary>
    public bool FastPath { get; set; } = true;

    /// <summary>
    /// Socket completions and the fast path's continuations run on the socket (epoll) threads instead of hopping to
    /// the thread pool, HAProxy's own model: sets <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1</c> for the process
    /// (before its first socket) and Kestrel's and the instance connections' <c>UnsafePreferInlineScheduling</c>.
    /// </summary>
    public bool InlineSocketCompletions { get; set; }

    /// <summary>Requests whose headers are larger than this get 431 from Kestrel.</summary>
    [Range(1024, 1024 * 1024)]
    public int MaxRequestHeadersBytes { get; set; } = 32 * 1024;

    /// <summary>How often failed instances are probed to bring them back into rotation.</summary>
    [Range(50, 60_000)]
    public int ProbeIntervalMilliseconds { get; set; } = 500;

    /// <summary>Connect timeout to an instance; a connect that takes longer counts as a failure.</summary>
    [Range(50, 60_000)]
    public int ConnectTimeoutMilliseconds { get; set; } = 2_000;

    /// <summary>How long a forwarded request may stay idle (no bytes either way) before it is cancelled.</summary>
    [Range(1, 3600)]
    public int ActivityTimeoutSeconds { get; set; } = 300;

    /// <summary>How often expiring overrides are checked.</summary>
    [Range(10, 10_000)]
    public int ExpiryCheckMilliseconds { get; set; } = 200;

    /// <summary>
    /// After the proxy reconnects to ZooKeeper, allocators missing from <c>/cloud/allocators</c> stay
    /// live this long, so allocators re-registering after the same outage don't lose their traffic.
    /// </summary>
    [Range(0, 600)]
    public int AllocatorReconnectGraceSeconds { get; set; } = 15;

    /// <summary>How many audit entries <c>/cloud/audit</c> keeps; older ones are deleted.</summary>
    [Range(10, 100_000)]
    public int AuditRetention { get; set; } = 1000;
}
