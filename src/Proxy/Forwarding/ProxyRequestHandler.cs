using System.Diagnostics;
using System.Net;
using System.Net.Http;
using Cloud.Proxy.Filtering;
using Cloud.Proxy.Routing;
using Cloud.Proxy.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Forwarder;

namespace Cloud.Proxy.Forwarding;

/// <summary>
/// Every client request: resolve the cluster, apply its traffic filter, pick an instance and forward
/// with YARP's <see cref="IHttpForwarder"/>, streaming both ways. A failed connection takes the
/// instance out at once (passive health) and an idempotent request goes once more to another one.
/// Nothing on this path logs; outcomes are counted in <see cref="ProxyMetrics"/>.
/// </summary>
internal sealed class ProxyRequestHandler
{
    public const string HandlingCluster = "X-Found-Handling-Cluster";
    public const string HandlingInstance = "X-Found-Handling-Instance";

    private readonly IHttpForwarder _forwarder;
    private readonly HttpMessageInvoker _client;
    private readonly RouteTable _routes;
    private readonly RoutingState _state;
    private readonly ClusterIdResolver _resolver;
    private readonly ClientAddressResolver _clients;
    private readonly ProxyMetrics _metrics;
    private readonly ForwarderRequestConfig _requestConfig;

    public ProxyRequestHandler(
        IHttpForwarder forwarder,
        ForwarderHttpClient client,
        RouteTable routes,
        RoutingState state,
        ClientAddressResolver clients,
        ProxyMetrics metrics,
        IOptions<ProxyOptions> options)
    {
        _forwarder = forwarder;
        _client = client.Invoker;
        _routes = routes;
        _state = state;
        _clients = clients;
        _metrics = metrics;
        _resolver = new ClusterIdResolver(options.Value.Domain);
        // Instances speak HTTP/1.1 over plain TCP, which is also what YARP's default (2.0 or lower) comes to without TLS.
        _requestConfig = new ForwarderRequestConfig
        {
            ActivityTimeout = TimeSpan.FromSeconds(options.Value.ActivityTimeoutSeconds),
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
    }

    public Task HandleAsync(HttpContext context)
    {
        var headers = context.Request.Headers;
        var clusterId = _resolver.Resolve(headers[ClusterIdResolver.ClusterHeader].ToString(), context.Request.Host.Value, out var conflicting);
        if (conflicting)
        {
            _metrics.Unrouted("conflicting_header");
            return ElasticsearchErrors.WriteAsync(context, StatusCodes.Status400BadRequest, ElasticsearchErrors.IllegalArgument,
                $"header [{ClusterIdResolver.ClusterHeader}] names more than one cluster [{headers[ClusterIdResolver.ClusterHeader]}]");
        }

        if (clusterId.IsEmpty)
        {
            _metrics.Unrouted("no_cluster");
            return ElasticsearchErrors.WriteAsync(context, StatusCodes.Status404NotFound, ElasticsearchErrors.NoCluster,
                $"no cluster in the request: send Host [<cluster_id>.<domain>] or header [{ClusterIdResolver.ClusterHeader}]");
        }

        if (!_routes.TryGet(clusterId, out var route))
        {
            _metrics.Unrouted(_state.IsLoaded ? "unknown_cluster" : "loading");
            return _state.IsLoaded
                ? ElasticsearchErrors.WriteAsync(context, StatusCodes.Status404NotFound, ElasticsearchErrors.UnknownCluster, $"no such cluster [{clusterId}]")
                : ElasticsearchErrors.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, ElasticsearchErrors.Unavailable, "the proxy is still loading its routes");
        }

        return ForwardAsync(context, route);
    }

    private async Task ForwardAsync(HttpContext context, ClusterRoute route)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            if (route.AllowedSources is not null && !route.Admits(_clients.Resolve(context)))
            {
                await ElasticsearchErrors.WriteAsync(context, StatusCodes.Status403Forbidden, ElasticsearchErrors.Forbidden,
                    $"client address [{_clients.Resolve(context)}] is not allowed by the traffic filter of cluster [{route.ClusterId}]");
                return;
            }

            var target = route;
            if (route.Kind == RouteKind.Redirect && (!_routes.TryGet(route.Decision.RedirectTo!, out target) || target.Kind != RouteKind.Forward))
            {
                await ElasticsearchErrors.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, ElasticsearchErrors.Unavailable,
                    $"cluster [{route.ClusterId}] is redirected to [{route.Decision.RedirectTo}], which has no routable instance");
                return;
            }

            if (target.Kind == RouteKind.Blocked || target.All.Length == 0)
            {
                await ElasticsearchErrors.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, ElasticsearchErrors.Unavailable,
                    target.Decision.Reason ?? $"cluster [{target.ClusterId}] has no routable instance");
                return;
            }

            await ForwardWithRetryAsync(context, target);
        }
        finally
        {
            _metrics.RequestEnded(route.ClusterId, context.Response.StatusCode, started);
        }
    }

    private async Task ForwardWithRetryAsync(HttpContext context, ClusterRoute route)
    {
        var retryable = RetryableRequests.IsRetryable(context.Request);
        if (retryable && RetryableRequests.IsReadOnlyPost(context.Request))
        {
            // Small read-only bodies are buffered (spilling to disk past 30 KB) so they can be sent twice.
            context.Request.EnableBuffering();
        }

        var first = LoadBalancer.Pick(route)!;
        var error = await SendAsync(context, route, first);
        if (!IsConnectionFailure(error) || context.Response.HasStarted)
        {
            return;
        }

        first.State.MarkFailed();
        _metrics.UpstreamError(route.ClusterId);
        if (!retryable || LoadBalancer.Pick(route, exclude: first.State) is not { } second)
        {
            return;
        }

        // Nothing reached the client yet: forget the failed attempt and send again elsewhere.
        context.Features.Set<IForwarderErrorFeature>(null);
        context.Response.StatusCode = StatusCodes.Status200OK;
        if (context.Request.Body.CanSeek)
        {
            context.Request.Body.Position = 0;
        }

        _metrics.Retried(route.ClusterId);
        var retryError = await SendAsync(context, route, second);
        if (IsConnectionFailure(retryError))
        {
            second.State.MarkFailed();
            _metrics.UpstreamError(route.ClusterId);
        }
    }

    private async Task<ForwarderError> SendAsync(HttpContext context, ClusterRoute route, RouteDestination destination)
    {
        var responseHeaders = context.Response.Headers;
        responseHeaders[HandlingCluster] = route.ClusterId;
        responseHeaders[HandlingInstance] = destination.InstanceName;
        destination.State.RequestStarted();
        try
        {
            return await _forwarder.SendAsync(context, destination.State.Prefix, _client, _requestConfig, ProxyTransformer.Instance);
        }
        finally
        {
            destination.State.RequestEnded();
        }
    }

    private static bool IsConnectionFailure(ForwarderError error) => error is ForwarderError.Request or ForwarderError.RequestTimedOut;
}
