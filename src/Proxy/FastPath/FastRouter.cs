using System.Buffers;
using System.Net;
using System.Text;
using Cloud.Proxy.Filtering;
using Cloud.Proxy.Routing;
using Cloud.Shared.Hosting;
using Cloud.Shared.Telemetry;
using Microsoft.Extensions.Options;

namespace Cloud.Proxy.FastPath;

/// <summary>
/// The routing decisions of <see cref="Forwarding.ProxyRequestHandler"/> on a parsed head: cluster from
/// <c>X-Found-Cluster</c> or Host, traffic filter, redirect, block. It only says where a request that will be
/// forwarded goes; every other outcome (the proxy's own endpoints, 400/403/404/503 answers) returns null and the
/// request is handed to the ordinary path, which gives the contract's answer and counts it.
/// </summary>
internal sealed class FastRouter
{
    // Longer names never name a cluster here: they are left to the ordinary path.
    private const int MaxNameLength = 256;

    private readonly RouteTable _routes;
    private readonly ClusterIdResolver _resolver;
    private readonly ClientAddressResolver _clients;

    public FastRouter(RouteTable routes, ClientAddressResolver clients, IOptions<ProxyOptions> options)
    {
        _routes = routes;
        _clients = clients;
        _resolver = new ClusterIdResolver(options.Value.Domain);
    }

    public FastRoute? Route(RequestHead head, IPAddress? remote)
    {
        if (head.ClusterHeaderRepeated || IsOwnEndpoint(head.Path))
        {
            return null;
        }

        Span<char> header = stackalloc char[MaxNameLength];
        Span<char> host = stackalloc char[MaxNameLength];
        if (!TryDecode(head.Slice(head.ClusterHeader), header, out var headerLength) || !TryDecode(head.Slice(head.Host), host, out var hostLength))
        {
            return null;
        }

        var clusterId = _resolver.Resolve(header[..headerLength], host[..hostLength], out var conflicting);
        if (conflicting || clusterId.IsEmpty || !_routes.TryGet(clusterId, out var route))
        {
            return null;
        }

        if (route.AllowedSources is not null && !route.Admits(ClientAddress(head, remote)))
        {
            return null;
        }

        var target = route;
        if (route.Kind == RouteKind.Redirect && (!_routes.TryGet(route.Decision.RedirectTo!, out target) || target.Kind != RouteKind.Forward))
        {
            return null;
        }

        return target.Kind == RouteKind.Blocked || target.All.Length == 0 ? null : new FastRoute(route, target);
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
