using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Cloud.Proxy.Forwarding;

/// <summary>
/// The proxy's own refusals (400, 404, 403, 503) in Elasticsearch's error shape, so clients and
/// Elasticsearch client libraries print the reason:
/// <c>{"error":{"root_cause":[{"type":..,"reason":..}],"type":..,"reason":..},"status":..}</c>.
/// </summary>
internal static class ElasticsearchErrors
{
    public const string UnknownCluster = "cluster_not_found_exception";
    public const string Unavailable = "cluster_unavailable_exception";
    public const string Forbidden = "security_exception";
    public const string NoCluster = "cluster_id_missing_exception";
    public const string IllegalArgument = "illegal_argument_exception";
    public const string BadGateway = "proxy_upstream_exception";

    public static async Task WriteAsync(HttpContext context, int status, string type, string reason)
    {
        var response = context.Response;
        if (response.HasStarted)
        {
            return;
        }

        response.StatusCode = status;
        response.ContentType = ContentType;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await response.Body.WriteAsync(Body(status, type, reason), context.RequestAborted);
        }
    }

    public const string ContentType = "application/json; charset=UTF-8";

    /// <summary>The JSON body of a refusal (the fast path writes it itself).</summary>
    public static byte[] Body(int status, string type, string reason)
    {
        var cause = new Dictionary<string, string> { ["type"] = type, ["reason"] = reason };
        var body = new Dictionary<string, object>
        {
            ["error"] = new Dictionary<string, object> { ["root_cause"] = new[] { cause }, ["type"] = type, ["reason"] = reason },
            ["status"] = status,
        };
        return JsonSerializer.SerializeToUtf8Bytes(body);
    }
}
