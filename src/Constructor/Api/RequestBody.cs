using Cloud.Constructor.Security;
using Cloud.Constructor.Validation;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Cloud.Constructor.Api;

/// <summary>Reads a request body up to the configured limit.</summary>
public static class RequestBody
{
    /// <returns>The body, or null when it is larger than <see cref="ApiOptions.MaxRequestBodyBytes"/>.</returns>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var limit = request.HttpContext.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value.MaxRequestBodyBytes;
        if (request.ContentLength > limit)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// Reads the body as a strict JSON <typeparamref name="T"/>: the value, or the answer to send instead
    /// (413 over the size limit, 400 with field errors when it does not parse).
    /// </summary>
    public static async Task<(T? Value, IResult? Refusal)> ReadJsonAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class
    {
        if (await ReadAsync(request, cancellationToken) is not { } body)
        {
            return (null, TooLarge(request));
        }

        var (value, errors) = StrictJson.Read<T>(body);
        return value is null ? (null, ApiResults.Errors(StatusCodes.Status400BadRequest, errors)) : (value, null);
    }

    public static IResult TooLarge(HttpRequest request) =>
        ApiResults.Error(
            StatusCodes.Status413PayloadTooLarge,
            "request.too_large",
            $"The body exceeds {request.HttpContext.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value.MaxRequestBodyBytes} bytes.");
}
