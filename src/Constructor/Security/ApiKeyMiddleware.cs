using System.Security.Cryptography;
using System.Text;
using Cloud.Constructor.Api;
using Cloud.Constructor.Enrollment;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Cloud.Constructor.Security;

/// <summary>
/// API key check for <c>/api</c>: 401 without a known key (missing, malformed or wrong), 403 when a
/// read-only key asks for a change. Keys are compared in constant time. Host enrollment is the one
/// exception: a host authenticates with its enrollment token there, not with a key.
/// </summary>
public sealed class ApiKeyMiddleware(RequestDelegate next, IOptions<ApiOptions> options)
{
    public const string Scheme = "ApiKey";

    public async Task InvokeAsync(HttpContext context)
    {
        var api = options.Value;
        if (!context.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal) || !api.IsSecured
            || context.Request.Path.Equals(ApiPaths.OpenApiPath, StringComparison.Ordinal)
            || context.Request.Path.Equals(EnrollmentPaths.EnrollApi, StringComparison.Ordinal))
        {
            await next(context);
            return;
        }

        var caller = Identify(context.Request.Headers.Authorization.ToString(), api);
        if (caller is null)
        {
            context.Response.Headers.WWWAuthenticate = Scheme;
            await ApiResults.Error(StatusCodes.Status401Unauthorized, "auth.unauthenticated", "Send a valid key as 'Authorization: ApiKey <key>'.").ExecuteAsync(context);
            return;
        }

        if (!caller.CanMutate && !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            await ApiResults.Error(StatusCodes.Status403Forbidden, "auth.read_only", $"Key '{caller.Name}' is read-only.").ExecuteAsync(context);
            return;
        }

        caller.AttachTo(context);
        await next(context);
    }

    private static ApiCaller? Identify(string header, ApiOptions api)
    {
        if (!header.StartsWith(Scheme + " ", StringComparison.Ordinal))
        {
            return null;
        }

        var key = header[(Scheme.Length + 1)..].Trim();
        if (key.Length == 0)
        {
            return null;
        }

        if (!string.IsNullOrEmpty(api.AdminKey) && Same(key, api.AdminKey))
        {
            return new ApiCaller("admin", true);
        }

        foreach (var (name, value) in api.AdminKeys)
        {
            if (Same(key, value))
            {
                return new ApiCaller(name, true);
            }
        }

        foreach (var (name, value) in api.ReadOnlyKeys)
        {
            if (Same(key, value))
            {
                return new ApiCaller(name, false);
            }
        }

        return null;
    }

    private static bool Same(string given, string expected) =>
        !string.IsNullOrEmpty(expected) && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));
}
