using Cloud.Constructor.Api;
using Microsoft.AspNetCore.Http;

namespace Cloud.Constructor.Clusters;

/// <summary>
/// Answers a request that met a cluster record that does not parse with 500 and the API's error shape naming
/// that cluster, instead of an empty 500: the operator learns which record to repair. Listings skip such a
/// cluster instead (the leader logs it), so one broken record does not hide every other cluster.
/// </summary>
internal sealed class UnreadableClusterMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (UnreadableClusterException ex) when (!context.Response.HasStarted)
        {
            var result = ApiResults.Error(StatusCodes.Status500InternalServerError, "cluster.unreadable", ex.Message);
            await result.ExecuteAsync(context);
        }
    }
}
