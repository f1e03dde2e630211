using Cloud.Proxy.Routing;

namespace Cloud.Proxy.FastPath;

/// <summary>
/// What the fast path does with a request: forward it (<see cref="Target"/> serves it; metrics are counted under
/// <see cref="Requested"/>, the cluster it named), answer it with one of the proxy's refusals, or hand it off.
/// </summary>
internal readonly record struct FastRoute(ClusterRoute? Requested, ClusterRoute? Target, FastRefusal? Refusal)
{
    public bool IsForward => Target is not null;

    public static FastRoute Forward(ClusterRoute requested, ClusterRoute target) => new(requested, target, null);

    public static FastRoute Refuse(FastRefusal refusal, ClusterRoute? requested = null) => new(requested, null, refusal);
}
