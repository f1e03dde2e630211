using System.Collections.Immutable;
using Cloud.Shared.Serialization;
using Microsoft.AspNetCore.Http;

namespace Cloud.Constructor.Api;

/// <summary>Answers in the API's JSON (snake_case) and its error shape.</summary>
public static class ApiResults
{
    public static IResult Json<T>(T value, int status = StatusCodes.Status200OK) => Results.Json(value, CloudJson.Options, statusCode: status);

    public static IResult Errors(int status, ImmutableArray<ApiError> errors) => Results.Json(new ApiErrorResponse(errors), CloudJson.Options, statusCode: status);

    public static IResult Error(int status, string code, string message, string? field = null) => Errors(status, [new ApiError(code, message, field)]);

    public static IResult ClusterNotFound(string clusterId) => Error(StatusCodes.Status404NotFound, "cluster.not_found", $"No cluster '{clusterId}'.");
}
