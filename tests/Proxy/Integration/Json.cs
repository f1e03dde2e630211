using System.Text.Json;

namespace Cloud.Proxy.Tests.Integration;

internal static class Json
{
    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    public static string Str(this JsonElement element, string property) => element.GetProperty(property).ToString();
}
