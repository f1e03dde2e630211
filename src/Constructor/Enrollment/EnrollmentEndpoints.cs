using Cloud.Constructor.Api;
using Cloud.Constructor.Validation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Cloud.Constructor.Enrollment;

/// <summary>
/// Enrollment tokens (admin key, like the rest of the API) and the enrollment itself, which a host
/// calls with the token instead of an API key (<see cref="Security.ApiKeyMiddleware"/> lets it through).
/// </summary>
public static class EnrollmentEndpoints
{
    public static IEndpointRouteBuilder MapEnrollmentEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost(EnrollmentPaths.TokensApi, IssueAsync).WithTags("security")
            .Accepts<EnrollmentTokenRequest>("application/json").Produces<IssuedToken>(StatusCodes.Status201Created);
        app.MapPost(EnrollmentPaths.EnrollApi, EnrollAsync).WithTags("security")
            .Accepts<HostEnrollmentRequest>("application/json").Produces<HostCredentials>(StatusCodes.Status201Created);
        return app;
    }

    private static async Task<IResult> IssueAsync(HttpRequest request, EnrollmentService enrollment, CancellationToken ct)
    {
        var (input, refusal) = await RequestBody.ReadJsonAsync<EnrollmentTokenRequest>(request, ct);
        if (input is null)
        {
            return refusal!;
        }

        var errors = EnrollmentValidator.Validate(input);
        if (!errors.IsEmpty)
        {
            return ApiResults.Errors(StatusCodes.Status400BadRequest, errors);
        }

        var outcome = await enrollment.IssueAsync(input, ct);
        return outcome.Value is { } token
            ? ApiResults.Json(token, StatusCodes.Status201Created)
            : ApiResults.Errors(outcome.Refusal!.Status, [outcome.Refusal.Error]);
    }

    private static async Task<IResult> EnrollAsync(HttpRequest request, EnrollmentService enrollment, CancellationToken ct)
    {
        var (input, refusal) = await RequestBody.ReadJsonAsync<HostEnrollmentRequest>(request, ct);
        if (input is null)
        {
            return refusal!;
        }

        var errors = EnrollmentValidator.Validate(input);
        if (!errors.IsEmpty)
        {
            return ApiResults.Errors(StatusCodes.Status400BadRequest, errors);
        }

        var outcome = await enrollment.EnrollAsync(input, ct);
        return outcome.Value is { } credentials
            ? ApiResults.Json(credentials, StatusCodes.Status201Created)
            : ApiResults.Errors(outcome.Refusal!.Status, [outcome.Refusal.Error]);
    }
}
