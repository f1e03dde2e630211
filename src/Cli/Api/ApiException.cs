using System.Collections.Immutable;
using System.Net;

namespace Cloud.Cli.Api;

/// <summary>The API answered with an error status and (usually) <c>{"errors":[...]}</c>.</summary>
public sealed class ApiException(HttpStatusCode status, ImmutableArray<ApiErrorItem> errors, string body)
    : Exception($"The API answered {(int)status} {status}.")
{
    public HttpStatusCode Status { get; } = status;

    public ImmutableArray<ApiErrorItem> Errors { get; } = errors;

    public string Body { get; } = body;
}
