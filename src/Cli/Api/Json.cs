using System.Globalization;
using System.Text.Json;

namespace Cloud.Cli.Api;

/// <summary>Lenient reads of API responses: a missing or null field is shown as empty, never a crash.</summary>
public static class Json
{
    public static string? Text(JsonElement element, params string[] path)
    {
        if (!TryGet(element, path, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Number => value.GetRawText(),
            _ => value.GetRawText(),
        };
    }

    public static long? Number(JsonElement element, params string[] path) =>
        TryGet(element, path, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number : null;

    public static bool Flag(JsonElement element, params string[] path) =>
        TryGet(element, path, out var value) && value.ValueKind == JsonValueKind.True;

    public static IEnumerable<JsonElement> Items(JsonElement element, params string[] path) =>
        TryGet(element, path, out var value) && value.ValueKind == JsonValueKind.Array ? value.EnumerateArray() : [];

    public static bool TryGet(JsonElement element, string[] path, out JsonElement value)
    {
        value = element;
        foreach (var name in path)
        {
            if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty(name, out value))
            {
                return false;
            }
        }

        return value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined);
    }

    public static string Join(IEnumerable<JsonElement> items, string? property = null) =>
        string.Join(',', items.Select(i => property is null ? Text(i) : Text(i, property)).Where(s => s is not null));

    private static string? Text(JsonElement element) =>
        element.ValueKind == JsonValueKind.String ? element.GetString() : element.GetRawText();

    public static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);
}
