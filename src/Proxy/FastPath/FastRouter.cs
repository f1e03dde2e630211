using System.Buffers;
using System.Net;
using System.Text;
using Cloud.Proxy.Filtering;
using Cloud.Proxy.Forwarding;
using Cloud.Proxy.Routing;
using Cloud.Shared.Hosting;
using Cloud.Shared.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Cloud.Proxy.FastPath;

/// <summary>
/// The routing decisions of <see cref="ProxyRequestHandler"/> on a parsed head: cluster from <c>X-Found-Cluster</c>
/// or Host, traffic filter, redirect, block, with the same refusals (status, type, reason). The proxy's own endpoints
/// and the rare heads it does not decode (non-ASCII or very long names) go to the ordinary path.
/// </summary>
internal sealed class FastRouter
{
    // Longer names never name a cluster here: they are left to the ordinary path.
    private const int MaxNameLength = 256;

    private readonly RouteTable _routes;
    private readonly ClusterIdResolver _resolver;
    private readonly ClientAddressResolver _clients;
    private readonly RoutingState _state;

    public FastRouter(RouteTable routes, RoutingState state, ClientAddressResolver clients, IOptions<ProxyOptions> options)
    {
        _routes = routes;
        _state = state;
        _clients = clients;
        _resolver = new ClusterIdResolver(options.Value.Domain);
    }

    /// <summary>Null when the request is left to the ordinary path.</summary>
    public FastRoute? Route(RequestHead head, IPAddress? remote)
    {
        if (IsOwnEndpoint(head.Path))
        {
            return null;
        }

        Span<char> header = stackalloc char[MaxNameLength];
        Span<char> host = stackalloc char[MaxNameLength];
        if (!TryDecodeClusterHeader(head, header, out var headerLength) || !TryDecode(head.Slice(head.Host), host, out var hostLength))
        {
            return null;
        }

        var clusterId = _resolver.Resolve(header[..headerLength], host[..hostLength], out var conflicting);
        if (conflicting)
        {
            return FastRoute.Refuse(new FastRefusal(StatusCodes.Status400BadRequest, ElasticsearchErrors.IllegalArgument,
                $"header [{ClusterIdResolver.ClusterHeader}] names more than one cluster [{header[..headerLength].ToString()}]", "conflicting_header"));
        }

        if (clusterId.IsEmpty)
        {
            return FastRoute.Refuse(new FastRefusal(StatusCodes.Status404NotFound, ElasticsearchErrors.NoCluster,
                $"no cluster in the request: send Host [<cluster_id>.<domain>] or header [{ClusterIdResolver.ClusterHeader}]", "no_cluster"));
        }

        if (!_routes.TryGet(clusterId, out var route))
        {
            return FastRoute.Refuse(_state.IsLoaded
                ? new FastRefusal(StatusCodes.Status404NotFound, ElasticsearchErrors.UnknownCluster, $"no such cluster [{clusterId}]", "unknown_cluster")
                : new FastRefusal(StatusCodes.Status503ServiceUnavailable, ElasticsearchErrors.Unavailable, "the proxy is still loading its routes", "loading"));
        }

        if (route.AllowedSources is not null && ClientAddress(head, remote) is var client && !route.Admits(client))
        {
            return FastRoute.Refuse(new FastRefusal(StatusCodes.Status403Forbidden, ElasticsearchErrors.Forbidden,
                $"client address [{client}] is not allowed by the traffic filter of cluster [{route.ClusterId}]"), route);
        }

        var target = route;
        if (route.Kind == RouteKind.Redirect && (!_routes.TryGet(route.Decision.RedirectTo!, out target) || target.Kind != RouteKind.Forward))
        {
            return FastRoute.Refuse(new FastRefusal(StatusCodes.Status503ServiceUnavailable, ElasticsearchErrors.Unavailable,
                $"cluster [{route.ClusterId}] is redirected to [{route.Decision.RedirectTo}], which has no routable instance"), route);
        }

        if (target.Kind == RouteKind.Blocked || target.All.Length == 0)
        {
            return FastRoute.Refuse(new FastRefusal(StatusCodes.Status503ServiceUnavailable, ElasticsearchErrors.Unavailable,
                target.Decision.Reason ?? $"cluster [{target.ClusterId}] has no routable instance"), route);
        }

        return FastRoute.Forward(route, target);
    }

    private IPAddress? ClientAddress(RequestHead head, IPAddress? remote) =>
        _clients.ReadsForwardedFor(remote) && !head.ForwardedFor.Equals(default(Range))
            ? _clients.Resolve(remote, Encoding.ASCII.GetString(head.Slice(head.ForwardedFor)))
            : _clients.Resolve(remote, default);

    private static bool IsOwnEndpoint(ReadOnlySpan<byte> path) =>
        IsPath(path, ProxyApplicationExtensions.ProxyHealthPath) || IsPath(path, CloudHost.HealthPath) || IsPath(path, CloudTelemetry.MetricsPath)

        // Kestrel decodes %XX and removes dot segments before the ordinary path compares, so a short path that
        // might become one of the proxy's own after that is left to it.
        || (path.Length <= 64 && (path.Contains((byte)'%') || path.IndexOf("/."u8) >= 0 || path.IndexOf("//"u8) >= 0));

    // The ordinary path compares PathString values, which ASP.NET Core matches case-insensitively.
    private static bool IsPath(ReadOnlySpan<byte> path, string own) =>
        path.Length == own.Length && Ascii.EqualsIgnoreCase(path, own);

    /// <summary>The <c>X-Found-Cluster</c> values joined by commas, as the ordinary path reads them.</summary>
    private static bool TryDecodeClusterHeader(RequestHead head, Span<char> chars, out int length)
    {
        length = 0;
        for (var i = 0; i < head.ClusterHeaderCount; i++)
        {
            if (i > 0)
            {
                if (length == chars.Length)
                {
                    return false;
                }

                chars[length++] = ',';
            }

            if (!TryDecode(head.Slice(head.ClusterHeader(i)), chars[length..], out var written))
            {
                return false;
            }

            length += written;
        }

        return true;
    }

    private static bool TryDecode(ReadOnlySpan<byte> bytes, Span<char> chars, out int length)
    {
        length = 0;
        if (bytes.Length > chars.Length)
        {
            return false;
        }

        return Ascii.ToUtf16(bytes, chars, out length) == OperationStatus.Done;
    }
}
