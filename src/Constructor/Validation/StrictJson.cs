using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Cloud.Constructor.Api;
using Cloud.Shared.Serialization;

namespace Cloud.Constructor.Validation;

/// <summary>
/// Reads request bodies strictly: snake_case, no unknown fields (outside free-form maps such as
/// <c>user_settings</c>), numbers as numbers. A body that does not read gives one field-level error.
/// </summary>
public static partial class StrictJson
{
    public static JsonSerializerOptions Options { get; } = Create();

    public static (T? Value, ImmutableArray<ApiError> Errors) Read<T>(ReadOnlySpan<byte> body)
        where T : class
    {
        if (body.IsEmpty)
        {
            return (null, [new ApiError("request.body_missing", "The request needs a JSON body.")]);
        }

        try
        {
            using var document = JsonDocument.Parse(body.ToArray(), new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException ex)
        {
            return (null, [new ApiError("request.malformed_json", $"The body is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}).")]);
        }

        try
        {
            var value = JsonSerializer.Deserialize<T>(body, Options);
            return value is null
                ? (null, [new ApiError("request.body_missing", "The request body is JSON null; an object is expected.")])
                : (value, []);
        }
        catch (JsonException ex)
        {
            return (null, [Describe(ex)]);
        }
    }

    private static ApiError Describe(JsonException ex)
    {
        var path = FieldOf(ex.Path);
        if (ex.Message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
        {
            // The reader's path already ends at the unknown property.
            var field = string.IsNullOrEmpty(path) ? QuotedName().Match(ex.Message).Groups[1].Value : path;
            return new ApiError("request.unknown_field", $"Unknown field '{field}'.", field);
        }

        return string.IsNullOrEmpty(path)
            ? new ApiError("request.invalid_type", "The body must be a JSON object of the documented shape.")
            : new ApiError("request.invalid_type", $"Field '{path}' has the wrong type.", path);
    }

    private static string FieldOf(string? jsonPath) =>
        string.IsNullOrEmpty(jsonPath) || jsonPath == "$" ? string.Empty : jsonPath.TrimStart('$').TrimStart('.');

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(CloudJson.Options)
        {
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            NumberHandling = JsonNumberHandling.Strict,
            AllowTrailingCommas = false,
            ReadCommentHandling = JsonCommentHandling.Disallow,
            MaxDepth = 32,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    [GeneratedRegex("'([^']+)'")]
    private static partial Regex QuotedName();
}
