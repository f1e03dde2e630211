using Cloud.Proxy.Routing;

namespace Cloud.Proxy.FastPath;

/// <summary>Where a fast-path request goes: the cluster it named (metrics are counted under it) and the route that serves it (another cluster's after a redirect).</summary>
internal readonly record struct FastRoute(ClusterRoute Requested, ClusterRoute Target);
