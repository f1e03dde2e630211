using Cloud.Constructor.Security;
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

    public static IResult TooLarge(HttpRequest request) =>
        ApiResults.Error(
            StatusCodes.Status413PayloadTooLarge,
            "request.too_large",
            $"The body exceeds {request.HttpContext.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value.MaxRequestBodyBytes} bytes.");
}
