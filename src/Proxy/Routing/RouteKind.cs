namespace Cloud.Proxy.Routing;

/// <summary>How requests for a cluster are answered.</summary>
internal enum RouteKind
{
    /// <summary>Forwarded to one of the route's destinations (503 when it has none).</summary>
    Forward,

    /// <summary>Refused with 503 and the block override's reason.</summary>
    Blocked,

    /// <summary>Forwarded to another cluster's destinations.</summary>
    Redirect,
}
